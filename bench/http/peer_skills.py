"""The Python peer for the seven skill models (FastAPI + uvicorn + XGBoost), as the seed service works:
JSON features in, each skill's score plus that model's global top-5 features (by total gain) out.

POST /predict {"features": {...}}            -> {"skills": {skill: {"score", "top_features"}}}
POST /predict/batch {"students": [{...}, ...]} -> {"students": [{skill: score, ...}, ...], "top_features": {...}}
Models: PEER_MODEL_DIR/<skill>.ubj, feature order from the models.
"""
import os

import numpy as np
import xgboost as xgb
from fastapi import FastAPI, Request

directory = os.environ["PEER_MODEL_DIR"]
models = {}
for name in sorted(os.listdir(directory)):
    booster = xgb.Booster(model_file=os.path.join(directory, name))
    booster.set_param({"nthread": 1})
    skill = os.path.splitext(name)[0]
    gain = booster.get_score(importance_type="total_gain")
    models[skill] = (booster, [{"feature": f, "importance": v} for f, v in sorted(gain.items(), key=lambda kv: -kv[1])[:5]])
names = next(iter(models.values()))[0].feature_names
index = {name: i for i, name in enumerate(names)}
app = FastAPI()


def matrix(rows):
    x = np.full((len(rows), len(names)), np.nan, dtype=np.float32)
    for r, row in enumerate(rows):
        for name, value in row.items():
            if name in index and value is not None:
                x[r, index[name]] = value
    return xgb.DMatrix(x, feature_names=names)


@app.post("/predict")
async def predict(request: Request):
    body = await request.json()
    data = matrix([body["features"]])
    return {"skills": {skill: {"score": float(booster.predict(data)[0]), "top_features": top} for skill, (booster, top) in models.items()}}


@app.post("/predict/batch")
async def predict_batch(request: Request):
    body = await request.json()
    data = matrix(body["students"])
    scores = {skill: booster.predict(data) for skill, (booster, _) in models.items()}
    students = [{skill: float(scores[skill][i]) for skill in models} for i in range(len(body["students"]))]
    return {"students": students, "top_features": {skill: top for skill, (_, top) in models.items()}}
