"""The catalog's two read routes in FastAPI, at its idiomatic best: asyncpg (a pool per
worker, statements prepared and cached per connection), redis.asyncio, orjson responses.
Run by `flotilla bench peers` as `uvicorn fastapi_app:app --workers 2` against the catalog's
own PostgreSQL schema and Redis, so it reads the same rows.

Environment: DATABASE_URL (postgres://…), DB_SCHEMA (the catalog's), REDIS_URL."""

import os
from decimal import Decimal

import asyncpg
import orjson
import redis.asyncio as redis
from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import ORJSONResponse, Response

COLUMNS = "id, name, brand, category, price, stock, metadata, created_at, updated_at"
SORTS = {
    "price": "price ASC, id ASC", "-price": "price DESC, id ASC",
    "created_at": "created_at ASC, id ASC", "-created_at": "created_at DESC, id ASC",
    "name": "name ASC, id ASC", "-name": "name DESC, id ASC",
}
CACHE_TTL_SECONDS = 60

app = FastAPI(default_response_class=ORJSONResponse, docs_url=None, redoc_url=None, openapi_url=None)
state: dict = {}


@app.on_event("startup")
async def startup() -> None:
    schema = os.environ["DB_SCHEMA"]
    state["pool"] = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=4, max_size=16, server_settings={"search_path": schema},
        init=lambda connection: connection.set_type_codec("jsonb", encoder=orjson.dumps, decoder=orjson.loads, schema="pg_catalog", format="text"))
    state["redis"] = redis.from_url(os.environ["REDIS_URL"])


def product(row: asyncpg.Record) -> dict:
    return {
        "id": row["id"], "name": row["name"], "brand": row["brand"], "category": row["category"],
        "price": str(row["price"]), "stock": row["stock"], "metadata": row["metadata"],
        "created_at": row["created_at"].isoformat(), "updated_at": row["updated_at"].isoformat(),
    }


@app.get("/products/{product_id}")
async def get_product(product_id: str) -> Response:
    key = f"peer:fastapi:product:{product_id}"
    cached = await state["redis"].get(key)
    if cached is not None:
        return Response(cached[:-1] + b',"cached":true}', media_type="application/json", headers={"X-Cache": "HIT"})
    row = await state["pool"].fetchrow(f"SELECT {COLUMNS} FROM products WHERE id = $1", product_id)
    if row is None:
        raise HTTPException(status_code=404, detail="product not found")
    body = orjson.dumps(product(row))
    await state["redis"].set(key, body, ex=CACHE_TTL_SECONDS)
    return Response(body[:-1] + b',"cached":false}', media_type="application/json", headers={"X-Cache": "MISS"})


@app.get("/products")
async def list_products(
    limit: int = Query(10, ge=1, le=100), offset: int = Query(0, ge=0), category: str | None = Query(None, max_length=50),
    brand: str | None = Query(None, max_length=100), minPrice: Decimal | None = None, maxPrice: Decimal | None = None,
    sort: str = "created_at",
) -> dict:
    if sort not in SORTS:
        raise HTTPException(status_code=400, detail="unknown sort")
    clauses, parameters = [], []
    for condition, value in (("category =", category), ("brand =", brand), ("price >=", minPrice), ("price <=", maxPrice)):
        if value is not None:
            parameters.append(value)
            clauses.append(f"{condition} ${len(parameters)}")
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    n = len(parameters)
    rows = await state["pool"].fetch(
        f"SELECT {COLUMNS}, count(*) OVER () AS full_count FROM products {where} ORDER BY {SORTS[sort]} LIMIT ${n + 1} OFFSET ${n + 2}",
        *parameters, limit, offset)
    if rows:
        total = rows[0]["full_count"]
    else:
        total = await state["pool"].fetchval(f"SELECT count(*) FROM products {where}", *parameters)
    return {"data": [product(row) for row in rows],
            "pagination": {"limit": limit, "offset": offset, "total": total, "has_more": offset + len(rows) < total}}
