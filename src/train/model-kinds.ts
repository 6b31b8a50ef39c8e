// Importing this file registers every model kind `kiln train` may ship (each family's fitted model and the
// ensemble), so that whoever loads a trained pipeline — evaluate, serve, the runtime — can rebuild it.
// Isomorphic: only fitted-model files, no learners or worker threads.
import '../models/gbdt/model.js';
import '../models/linear/logistic.js';
import '../models/linear/ridge.js';
import '../models/tree/model.js';
import '../models/forest/model.js';
import '../models/neighbors/model.js';
import '../models/nn/model.js';
import '../models/bayes/model.js';
import './composite/ensemble-model.js';
