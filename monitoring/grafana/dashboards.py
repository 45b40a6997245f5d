#!/usr/bin/env python3
"""Flotilla's Grafana dashboards as code: `python3 monitoring/grafana/dashboards.py` writes
monitoring/grafana/dashboards/*.json (stable UIDs, a Prometheus datasource variable, `service`
and `instance` variables, `$__rate_interval` everywhere). scripts/check-deploy fails when the
JSON differs from this file's output, and the Prometheus test runs every panel's query."""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parent / "dashboards"
SEL = 'service=~"$service", instance=~"$instance"'
R = "$__rate_interval"


def rate(metric, where="", by="service"):
    inner = f"{SEL}, {where}" if where else SEL
    return f"sum by ({by}) (rate({metric}{{{inner}}}[{R}]))"


def ratio_or_zero(metric, bad, by="service"):
    """bad / all, as 0 when nothing was bad (so the panel shows 0, not 'no data')."""
    total = rate(metric, by=by)
    return f"({rate(metric, bad, by)} or {total} * 0) / {total}"


def quantile(q, metric, by="service"):
    return f"histogram_quantile({q}, sum by ({by}, le) (rate({metric}_bucket{{{SEL}}}[{R}])))"


def panel(title, exprs, unit="short", legend="{{service}}", kind="timeseries", width=12):
    return {"title": title, "type": kind, "unit": unit, "width": width,
            "targets": [{"expr": e, "legend": l} for e, l in (exprs if isinstance(exprs, list) else [(exprs, legend)])]}


DASHBOARDS = {
    "flotilla-overview": ("Flotilla / Fleet overview", ["flotilla"], [
        panel("Requests per second", rate("http_server_requests_total"), "reqps"),
        panel("Error ratio (5xx)", ratio_or_zero("http_server_requests_total", 'status=~"5.."'), "percentunit"),
        panel("p99 latency", quantile(0.99, "http_server_request_duration_seconds"), "s"),
        panel("p50 latency", quantile(0.5, "http_server_request_duration_seconds"), "s"),
        panel("Targets up", f"up{{{SEL}}}", "short", "{{service}} {{instance}}"),
        panel("Resident memory", f"sum by (service) (process_resident_memory_bytes{{{SEL}}})", "bytes"),
    ]),
    "flotilla-service": ("Flotilla / Service detail", ["flotilla"], [
        panel("Requests per second by route", rate("http_server_requests_total", by="method, route"), "reqps", "{{method}} {{route}}"),
        panel("Error ratio by route", ratio_or_zero("http_server_requests_total", 'status=~"5.."', by="method, route"), "percentunit", "{{method}} {{route}}"),
        panel("p99 latency by route", quantile(0.99, "http_server_request_duration_seconds", by="method, route"), "s", "{{method}} {{route}}"),
        panel("In-flight requests", f"sum by (service) (http_server_requests_in_flight{{{SEL}}})"),
        panel("CPU", rate("process_cpu_seconds_total"), "percentunit"),
        panel("Open file descriptors", f"sum by (service) (process_open_fds{{{SEL}}})"),
        panel("Database pool connections", f"sum by (service, state) (db_pool_connections{{{SEL}}})", "short", "{{service}} {{state}}"),
        panel("Database pool waits per second", rate("db_pool_wait_seconds_count"), "ops"),
        panel("Cache lookups", rate("cache_requests_total", by="cache, result"), "ops", "{{cache}} {{result}}"),
        panel("Circuit breakers (0 closed, 1 half-open, 2 open)", f"max by (service, upstream) (circuit_breaker_state{{{SEL}}})", "short", "{{service}} → {{upstream}}"),
    ]),
    "flotilla-dependencies": ("Flotilla / Dependencies", ["flotilla"], [
        panel("PostgreSQL queries per second", rate("db_queries_total"), "ops"),
        panel("PostgreSQL p99 query time", quantile(0.99, "db_query_duration_seconds"), "s"),
        panel("Redis pool connections", f"sum by (service, state) (redis_pool_connections{{{SEL}}})", "short", "{{service}} {{state}}"),
        panel("Redis pool waits per second", rate("redis_pool_wait_seconds_count"), "ops"),
        panel("HTTP client calls by outcome", rate("http_client_requests_total", by="service, upstream, outcome"), "ops", "{{service}} → {{upstream}} {{outcome}}"),
        panel("HTTP client p99", quantile(0.99, "http_client_request_duration_seconds", by="service, upstream"), "s", "{{service}} → {{upstream}}"),
    ]),
    "flotilla-business": ("Flotilla / Business", ["flotilla", "business"], [
        panel("Orders placed per second", f'sum(rate(http_server_requests_total{{{SEL}, route="/orders", method="POST", status="201"}}[{R}]))', "ops", "orders"),
        panel("Check-ins per second", rate("habits_check_ins_total", by="result"), "ops", "{{result}}"),
        panel("Habits stored", f"sum by (state) (habits_stored{{{SEL}}})", "short", "{{state}}"),
        panel("Logins per second", rate("auth_security_events_total", 'event="login"', by="outcome"), "ops", "{{outcome}}"),
        panel("Gateway answers by status", rate("gateway_requests_total", by="status"), "reqps", "{{status}}"),
        panel("Products read per second", f'sum(rate(http_server_requests_total{{{SEL}, route=~"/products.*", method="GET"}}[{R}]))', "reqps", "products"),
        panel("Notifications created per second", rate("notifications_created_total", by="category"), "ops", "{{category}}"),
        panel("Emails per second by outcome", rate("notifications_emails_total", by="outcome"), "ops", "{{outcome}}"),
        panel("Tasks created per second",
              f'sum(rate(tasks_created_total{{{SEL}}}[{R}])) or vector(0)', "ops", "created"),
        panel("Tasks completed per second", f'sum(rate(tasks_completed_total{{{SEL}}}[{R}])) or vector(0)', "ops", "completed"),
        panel("Tasks by state group", f"max by (state_group) (tasks_stored{{{SEL}}})", "short", "{{state_group}}"),
        panel("Projects created per second", rate("projects_created_total"), "ops"),
        panel("Organizations created per second",
              f'sum(rate(users_organizations_created_total{{{SEL}}}[{R}])) or vector(0)', "ops", "organizations"),
        panel("Timesheets submitted per second", f'sum(rate(time_timesheets_submitted_total{{{SEL}}}[{R}])) or vector(0)', "ops", "submitted"),
        panel("Timesheets approved per second", f'sum(rate(time_timesheets_approved_total{{{SEL}}}[{R}])) or vector(0)', "ops", "approved"),
        panel("Comments posted per second", f'sum(rate(comments_posted_total{{{SEL}}}[{R}])) or vector(0)', "ops", "posted"),
        panel("File uploads per second", f'sum(rate(files_uploaded_total{{{SEL}}}[{R}])) or vector(0)', "ops", "uploads"),
        panel("Bytes uploaded per second", f'sum(rate(files_uploaded_bytes_total{{{SEL}}}[{R}])) or vector(0)', "Bps", "bytes"),
        panel("Mentions per second", f'sum(rate(comments_mentions_total{{{SEL}}}[{R}])) or vector(0)', "ops", "mentions"),
        panel("Invitations accepted per second", f'sum(rate(users_invitations_accepted_total{{{SEL}}}[{R}])) or vector(0)', "ops", "accepted"),
    ]),
    "flotilla-events": ("Flotilla / Events", ["flotilla", "events"], [
        panel("Events published per second", rate("events_published_total"), "ops"),
        panel("Outbox rows waiting", f"sum by (service) (events_outbox_pending{{{SEL}}})"),
        panel("Oldest unpublished event", f"max by (service) (events_outbox_oldest_age_seconds{{{SEL}}})", "s"),
        panel("Events consumed per second by outcome", rate("events_consumed_total", by="service, outcome"), "ops", "{{service}} {{outcome}}"),
        panel("Consumer lag (entries not yet delivered)", f"max by (service, stream) (events_consumer_lag{{{SEL}}})", "short", "{{service}} ← {{stream}}"),
        panel("Handler p99", quantile(0.99, "events_handler_duration_seconds", by="service, type"), "s", "{{service}} {{type}}"),
        panel("Dead letters (last hour)", f"sum by (service) (increase(events_dead_lettered_total{{{SEL}}}[1h]))", "short"),
    ]),
}


def variable(name, query, label):
    return {"name": name, "label": label, "type": "query", "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "query": {"query": query, "refId": name}, "definition": query, "refresh": 2, "includeAll": True, "multi": True,
            "allValue": ".*", "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "sort": 1}


def dashboard(uid, title, tags, panels):
    built, x, y = [], 0, 0
    for index, spec in enumerate(panels, start=1):
        width = spec["width"]
        if x + width > 24:
            x, y = 0, y + 8
        built.append({
            "id": index, "title": spec["title"], "type": spec["type"], "gridPos": {"x": x, "y": y, "w": width, "h": 8},
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "fieldConfig": {"defaults": {"unit": spec["unit"]}, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
            "targets": [{"refId": chr(ord("A") + i), "expr": t["expr"], "legendFormat": t["legend"],
                         "datasource": {"type": "prometheus", "uid": "${datasource}"}} for i, t in enumerate(spec["targets"])],
        })
        x += width
    return {
        "uid": uid, "title": title, "tags": tags, "timezone": "browser", "schemaVersion": 39, "version": 1, "editable": True,
        "refresh": "30s", "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [
            {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus", "refresh": 1,
             "current": {"text": "Prometheus", "value": "prometheus"}},
            variable("service", "label_values(up, service)", "Service"),
            variable("instance", 'label_values(up{service=~"$service"}, instance)', "Instance"),
        ]},
        "panels": built,
    }


def render():
    return {f"{uid}.json": json.dumps(dashboard(uid, *spec), indent=2, sort_keys=True) + "\n" for uid, spec in DASHBOARDS.items()}


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text)
        print(f"wrote {OUT / name}")
