"""A hand-written peer: the LEA overview page and an LEA's sampled students, each as one
``json_agg`` statement (Starlette + asyncpg), and a bare JSON endpoint (``/hello``).

Served by uvicorn from ``bench.hot_queries``; ``BENCH_PG_DSN`` names the database.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

OVERVIEW = """
SELECT coalesce(json_agg(page ORDER BY page."cdsCode"), '[]'::json)::text FROM (
  SELECT l.cds_code AS "cdsCode", l.name AS name,
         json_build_object('code', s.code, 'name', s.name) AS selpa,
         greatest(c.due_at, coalesce(m.due_at_extension, c.due_at)) AS "dueAt",
         json_build_object('status', sub.status, 'countA', sub.count_a, 'countB', sub.count_b,
                           'countC', sub.count_c, 'version', sub.version,
                           'submittedAt', sub.submitted_at, 'reviewedAt', sub.reviewed_at)
           AS submission
  FROM lea_cycle m
  JOIN lea l ON l.id = m.lea_id
  JOIN cycle c ON c.id = m.cycle_id
  LEFT JOIN selpa s ON s.id = m.selpa_id
  LEFT JOIN submission sub ON sub.cycle_id = m.cycle_id AND sub.lea_id = m.lea_id
  WHERE c.name = $1 AND m.active
  ORDER BY l.cds_code
  LIMIT $2
) AS page
"""
STUDENTS = """
SELECT coalesce(json_agg(student ORDER BY student.ssid), '[]'::json)::text FROM (
  SELECT r.ssid, r.first_name AS "firstName", r.last_name AS "lastName",
         r.birth_date AS "birthDate", r.grade, r.disability_category AS "disabilityCategory"
  FROM sampled_student s
  JOIN roster_student r ON r.id = s.student_id
  JOIN lea l ON l.id = s.lea_id
  JOIN cycle c ON c.id = s.cycle_id
  WHERE c.name = $1 AND l.cds_code = $2
  ORDER BY s.ssid
  LIMIT 500
) AS student
"""


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(os.environ["BENCH_PG_DSN"], min_size=1, max_size=4)
    yield
    await app.state.pool.close()


async def overview(request: Request) -> Response:
    first = int(request.query_params.get("first", "500"))
    async with request.app.state.pool.acquire() as connection:
        body = await connection.fetchval(OVERVIEW, request.path_params["cycle"], first)
    return Response('{"data":{"leas":' + body + "}}", media_type="application/json")


async def students(request: Request) -> Response:
    async with request.app.state.pool.acquire() as connection:
        body = await connection.fetchval(
            STUDENTS, request.path_params["cycle"], request.path_params["cds"]
        )
    return Response('{"data":{"students":' + body + "}}", media_type="application/json")


async def hello(_: Request) -> Response:
    return Response('{"data":{"ok":true}}', media_type="application/json")


app = Starlette(
    routes=[
        Route("/overview/{cycle}", overview),
        Route("/students/{cycle}/{cds}", students),
        Route("/hello", hello),
    ],
    lifespan=lifespan,
)
