// Importing this file registers every model kind `kiln train` may ship: each family's fitted model (the models
// layer's list) and the ensemble, so that whoever loads a trained pipeline — evaluate, serve, the runtime — can
// rebuild it. Isomorphic: only fitted-model files, no learners or worker threads.
import '../models/fitted-models.js';
import './composite/ensemble-model.js';
