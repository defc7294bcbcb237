"""The Python peer: what a team would build this service with (FastAPI + uvicorn + XGBoost).

POST /predict {"rows": [{feature: value, ...}, ...]} -> per row: the score; plus the model's top-5
features by total gain, as the seed service returns them. With "top_k": K, each row also gets its
top-K features by absolute TreeSHAP contribution (XGBoost's pred_contribs). Model from PEER_MODEL.
"""
import os

import numpy as np
import xgboost as xgb
from fastapi import FastAPI, Request

booster = xgb.Booster(model_file=os.environ["PEER_MODEL"])
booster.set_param({"nthread": 1})
names = booster.feature_names
index = {name: i for i, name in enumerate(names)}
gain = booster.get_score(importance_type="total_gain")
top_features = [{"feature": f, "importance": v} for f, v in sorted(gain.items(), key=lambda kv: -kv[1])[:5]]
app = FastAPI()


@app.post("/predict")
async def predict(request: Request):
    body = await request.json()
    rows = body["rows"]
    top_k = int(body.get("top_k", 0))
    x = np.full((len(rows), len(names)), np.nan, dtype=np.float32)
    for r, row in enumerate(rows):
        for name, value in row.items():
            if name in index and value is not None:
                x[r, index[name]] = value
    matrix = xgb.DMatrix(x, feature_names=names)
    scores = booster.predict(matrix)
    predictions = [{"score": float(s)} for s in scores]
    if top_k > 0:
        contributions = booster.predict(matrix, pred_contribs=True)[:, :-1]
        for r, prediction in enumerate(predictions):
            order = np.argsort(-np.abs(contributions[r]))[:top_k]
            prediction["contributions"] = [{"feature": names[f], "value": None if np.isnan(x[r, f]) else float(x[r, f]),
                                            "contribution": float(contributions[r, f])} for f in order]
    return {"predictions": predictions, "top_features": top_features}
