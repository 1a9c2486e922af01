"""The review console: a small web app that ``serve`` mounts under ``/_console/`` on its port.

Views: drop files into ``incoming/`` and watch them go through, the recent articles, one
article with its entities and figures marked in the text (each mark a link to its entity),
the entity search (one section per identity a name stands for) and one entity's page. Every
read goes through ``queries`` (the code behind ``show`` and ``search``); a replay is a
message on ReplayQueue, which the server's pollers hand to ReplayFunction as AWS would.
Pages are rendered on the server by Jinja with autoescaping, so article text is escaped
everywhere; the only script is the drop page's, served from ``static/``. Who may ask is
decided in front of the app, by ``..emulation.access``.

May import: ``article_pipeline``, ``..commands`` and ``..emulation``.
"""

from __future__ import annotations

import math

from flask import Flask, abort, jsonify, redirect, render_template, request, url_for

from ..commands import queries
from ..emulation.remote import Target
from .marking import label_colour, mark_text

#: The path no bucket name can take (bucket names cannot start with "_").
MOUNT = "/_console"
PER_PAGE = 25
STATUSES = ("processed", "failed", "deleted")


def create_app(target: Target, csrf_token: str = "") -> Flask:
    """The console; ``csrf_token`` goes into its forms and the drop page's uploads, and the
    server's ``access.AccessGuard`` checks it on every state-changing request."""
    app = Flask(__name__)
    # Made once here: boto3 clients are thread-safe to use, not to create.
    s3, dynamodb, sqs = target.client("s3"), target.client("dynamodb"), target.client("sqs")
    app.jinja_env.globals.update(label_colour=label_colour, bucket=target.bucket, csrf_token=csrf_token)

    @app.get("/")
    def articles():
        status = request.args.get("status") if request.args.get("status") in STATUSES else None
        page = max(0, request.args.get("page", 0, type=int))
        rows, total = queries.recent(dynamodb, target.table, status, page, PER_PAGE)
        return render_template(
            "articles.html", rows=rows, total=total, status=status, page=page, pages=max(1, math.ceil(total / PER_PAGE))
        )

    @app.get("/drop")
    def drop():
        return render_template("drop.html")

    @app.get("/api/state")
    def state():
        key = request.args.get("key", "")
        if not key.startswith("incoming/"):
            abort(400, "key must be under incoming/")
        return jsonify(queries.drop_state(s3, dynamodb, target.table, target.bucket, key, request.args.get("etag")))

    @app.get("/articles/<article_id>")
    def article(article_id: str):
        record = queries.article(dynamodb, s3, target.table, target.bucket, article_id)
        if record is None:
            abort(404, f"no record for {article_id}")
        entities = record.get("entities") or []
        identities = [queries.entity_identity(entity) for entity in entities]
        marked = mark_text(record.get("text") or "", entities, record.get("figures") or [], [url_for("entity", identity=i) for i in identities])
        return render_template("article.html", record=record, marked=marked, identities=identities, replayed=request.args.get("replayed"))

    @app.post("/articles/<article_id>/replay")
    def replay(article_id: str):
        from ..commands.replay import request_replay

        record = queries.show(dynamodb, target.table, target.bucket, article_id)
        if record is None:
            abort(404, f"no record for {article_id}")
        replay_id = request_replay(sqs, target.queues["ReplayQueue"], {"mode": "failed", "prefix": record["source"]["key"]})
        return redirect(url_for("article", article_id=article_id, replayed=replay_id))

    @app.get("/search")
    def search():
        name, label = request.args.get("entity", "").strip(), request.args.get("label", "").strip().upper() or None
        identity = request.args.get("id", "").strip() or None
        groups = queries.search_groups(dynamodb, target.table, name, label, identity) if name else []
        sections = [(group, queries.display_name(group.id, group.names), queries.group_rows(group)) for group in groups]
        return render_template("search.html", name=name, label=label, identity=identity, sections=sections)

    # Ids hold ':' ("person:tony-blair", "geonames:2643743"), never '/': the default converter takes them.
    @app.get("/entities/<identity>")
    def entity(identity: str):
        found = queries.entity_page(dynamodb, target.table, identity)
        if found is None:
            abort(404, f"no article names the identity {identity}")
        return render_template("entity.html", entity=found)

    return app
