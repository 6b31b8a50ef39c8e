// The model families a server, an export and the runtime can load, imported for their side effect of
// registering their kinds with core's registry of model kinds. Only fitted-model files are imported (never a
// learner's training code with its worker threads), so this list also runs in a browser (src/runtime uses it).
// A new family's fitted model file belongs here, or pipelines using it cannot be served.
import '../models/linear/logistic.js';
import '../models/linear/ridge.js';
import '../models/gbdt/model.js';
import '../models/tree/model.js';
import '../models/forest/model.js';
import '../models/neighbors/model.js';
import '../models/nn/model.js';
import '../models/bayes/model.js';
