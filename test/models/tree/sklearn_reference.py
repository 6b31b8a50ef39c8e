#!/usr/bin/env python3
"""scikit-learn side of the model-family reference tests and the `families` benchmark.

Reads a JSON job on stdin:
  {"dataset": "covertype_kaggle", "n_train": 2000, "n_test": 1000, "encoding": "dense", "out": "/tmp/dir",
   "models": [{"name": "rf", "class": "sklearn.ensemble.RandomForestClassifier", "params": {...}}]}
Takes the first n_train / n_test rows (0 = all) of the shared train.csv / test.csv, encodes them, writes the matrices
(float64, little-endian, column-major) for Kiln to read, fits each model on the same matrix and writes its test
predictions (class probabilities or values) beside them, with fit/predict seconds in meta.json.

Encodings (like /work/shared/bench/reference.py):
  dense            numeric: median imputation + standard scaling; categorical: most-frequent imputation + one-hot
  ordinal          numeric as is (NaN kept); categorical: ordinal codes, NaN for missing and unseen
  ordinal_imputed  'ordinal' followed by median imputation (what reference.py gives its decision tree and forest)
  text_counts      text datasets only: word counts of the text column (CountVectorizer, 300 most frequent words)
"""
import importlib, json, os, sys, time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

DATASETS = "/work/shared/datasets"


def load(job):
    folder = os.path.join(DATASETS, job["dataset"])
    meta = json.load(open(os.path.join(folder, "meta.json")))
    read = lambda f: pd.read_csv(os.path.join(folder, f), na_values=["?", ""], skipinitialspace=True, low_memory=False)
    train, test = read("train.csv"), read("test.csv")
    if job.get("n_train"):
        train = train.iloc[: job["n_train"]]
    if job.get("n_test"):
        test = test.iloc[: job["n_test"]]
    y_tr, y_te = train.pop(meta["target"]), test.pop(meta["target"])
    drop = meta.get("drop", [])
    return train.drop(columns=drop), test.drop(columns=drop), y_tr, y_te, meta


def encode(job, X_tr, X_te):
    cat = [c for c in X_tr.columns if X_tr[c].dtype == object]
    num = [c for c in X_tr.columns if c not in cat]
    if job["encoding"] == "text_counts":
        from sklearn.feature_extraction.text import CountVectorizer
        text = X_tr.columns[0]
        cv = CountVectorizer(max_features=300)
        A = cv.fit_transform(X_tr[text].fillna("")).toarray()
        B = cv.transform(X_te[text].fillna("")).toarray()
        names = list(cv.get_feature_names_out())
        kinds = ["numeric"] * A.shape[1]
    elif job["encoding"] == "dense":
        ct = ColumnTransformer([
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
            ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                  OneHotEncoder(handle_unknown="ignore", min_frequency=5, sparse_output=False)), cat),
        ])
        A, B = ct.fit_transform(X_tr), ct.transform(X_te)
        names = list(ct.get_feature_names_out())
        kinds = ["numeric"] * A.shape[1]
    else:
        ct = ColumnTransformer([
            ("num", "passthrough", num),
            ("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan), cat),
        ])
        A, B = ct.fit_transform(X_tr), ct.transform(X_te)
        if job["encoding"] == "ordinal_imputed":
            imp = SimpleImputer(strategy="median").fit(A)
            A, B = imp.transform(A), imp.transform(B)
        names = num + cat
        kinds = ["numeric"] * len(num) + ["categorical"] * len(cat)
    return np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64), names, kinds


def build(spec):
    """An estimator from {"class": dotted name, "params": {...}}; a param that is itself such a spec is built too
    (e.g. TransformedTargetRegressor's regressor)."""
    module, cls = spec["class"].rsplit(".", 1)
    params = {k: build(v) if isinstance(v, dict) and "class" in v else v for k, v in spec.get("params", {}).items()}
    return getattr(importlib.import_module(module), cls)(**params)


def write(path, a):
    np.asarray(a, dtype="<f8").ravel(order="F").tofile(path)


def main():
    job = json.load(sys.stdin)
    out = job["out"]
    os.makedirs(out, exist_ok=True)
    X_tr, X_te, y_tr, y_te, meta = load(job)
    A, B, names, kinds = encode(job, X_tr, X_te)
    task = meta["task"]
    if task == "text":
        task = "binary" if y_tr.nunique() == 2 else "multiclass"
    if task == "regression":
        ytr, yte, classes = y_tr.to_numpy(float), y_te.to_numpy(float), None
    else:
        classes = sorted(pd.concat([y_tr, y_te]).unique())
        lookup = {c: i for i, c in enumerate(classes)}
        ytr, yte = y_tr.map(lookup).to_numpy(float), y_te.map(lookup).to_numpy(float)
    write(os.path.join(out, "x_train.f64"), A)
    write(os.path.join(out, "x_test.f64"), B)
    write(os.path.join(out, "y_train.f64"), ytr)
    write(os.path.join(out, "y_test.f64"), yte)
    info = {"task": task, "n_train": A.shape[0], "n_test": B.shape[0], "n_cols": A.shape[1],
            "n_classes": len(classes) if classes is not None else None,
            "features": [{"name": n, "kind": k} for n, k in zip(names, kinds)], "models": {}}
    for m in job.get("models", []):
        est = build(m)
        t0 = time.perf_counter()
        est.fit(A, ytr)
        fit_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        pred = est.predict_proba(B) if task != "regression" else est.predict(B)
        predict_s = time.perf_counter() - t0
        # row-major n × k for probabilities, like Kiln's predictProba
        np.asarray(pred, dtype="<f8").ravel(order="C").tofile(os.path.join(out, m["name"] + ".f64"))
        extra = {}
        if hasattr(est, "oob_score_"):
            extra["oob_score"] = float(est.oob_score_)
        if hasattr(est, "tree_"):
            extra["n_leaves"] = int(est.tree_.n_leaves)
        if hasattr(est, "n_iter_"):
            extra["n_iter"] = int(est.n_iter_)
        info["models"][m["name"]] = {"fit_s": fit_s, "predict_s": predict_s, **extra}
    json.dump(info, open(os.path.join(out, "meta.json"), "w"))


if __name__ == "__main__":
    main()
