// Every model family's fitted-model file, imported for its side effect of registering its kinds with core's
// registry of model kinds. Only fitted-model files are imported (never a learner's training code with its worker
// threads), so this list also runs in a browser. Whatever loads pipelines (server, export, batch scoring, the
// runtime) imports this file; a new family's fitted model belongs here, or pipelines using it cannot be loaded.
import './linear/logistic.js';
import './linear/ridge.js';
import './gbdt/model.js';
import './tree/model.js';
import './forest/model.js';
import './neighbors/model.js';
import './nn/model.js';
import './bayes/model.js';
