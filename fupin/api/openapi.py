"""The OpenAPI contract of /api/v1: one error schema, readable operation ids, the Idempotency-Key
header and a description built from the registered routers (docs/decisions/0043).

The schema is a document for every client whatever its language, so its own texts are written
once in Chinese with English after them rather than translated per request.
"""

import re
from typing import Any, get_origin

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from ninja.utils import normalize_path
from pydantic import BaseModel, Field

from fupin.api.pagination import PAGE_SIZE
from fupin.core.spine import collected, resolve

ERROR_REF = "#/components/schemas/Error"
IDEMPOTENCY_HEADER = "Idempotency-Key"
WRITE_METHODS = {"post", "put", "patch", "delete"}

# What each status means here, with the codes a client meets most (fupin.core.errors).
ERROR_STATUSES = {
    400: "请求无法解析（如 JSON 格式错误）。The request cannot be parsed (malformed JSON): "
    "`http_error`.",
    401: "未登录或接口令牌无效。No valid token or session: `unauthenticated`.",
    403: "角色无权执行此操作，或浏览器会话缺少 CSRF 令牌。The role may not do this, or the "
    "session lacks its CSRF token: `forbidden`, `csrf_failed`.",
    404: "对象不存在或不在您的区划内（两者不作区分）。Absent or outside the user's regions "
    "(never told apart): `not_found`.",
    409: "与当前状态冲突：重复、状态机无此变更、Idempotency-Key 用于另一请求。Clashes with the "
    "present state: `invalid_transition`, `idempotency_key_reused`, duplicates.",
    413: "上传文件或请求超过大小、行数限制。The upload or request is over a limit.",
    422: "字段缺失或不合法，或业务规则不允许。Fields missing or malformed (`invalid_input`, "
    "each field in `details.fields`), or a business rule refuses (its own code).",
    429: "同一来源请求过于频繁，请稍后再试。Too many requests from one address: "
    "`too_many_declarations`, `too_many_lookups`, `too_many_objections`.",
    500: "服务器内部错误，已记录日志。An unexpected error, logged on the server: `server_error`.",
}


def areas() -> dict[str, str]:
    """Return what each router's tag covers, as its app's AppConfig says (``spine.Router.area``)."""
    return {
        tag: mounted.area
        for mounted in collected("routers")
        if mounted.area
        for tag in resolve(mounted.router).tags or ()
    }


class ErrorDetail(Schema):
    """The body of an error: a stable code, a translated message, details."""

    code: str = Field(description="稳定的机器码 Stable machine code, e.g. `not_found`")
    message: str = Field(description="说明（按请求语言，中文优先）Human message, translated")
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="补充信息，如 `fields`：{字段: 说明} Details such as `fields`: {name: message}",
    )


class Error(Schema):
    """The one error shape of the API: `{"error": {"code", "message", "details"}}`."""

    error: ErrorDetail


def idempotency_key(*, required: bool, max_length: int = 100) -> dict:
    """Return the `openapi_extra` declaring the Idempotency-Key header an endpoint honours."""
    need = "必填" if required else "可选"
    return {
        "parameters": [
            {
                "in": "header",
                "name": IDEMPOTENCY_HEADER,
                "required": required,
                "schema": {"type": "string", "minLength": 1, "maxLength": max_length},
                "description": f"{need}：客户端生成的唯一键（如 UUID），重试时带同一个键不会重复"
                f"登记；同一键用于另一请求时返回 409。{'Required' if required else 'Optional'}: a "
                "key the client makes (a UUID); a retry with the same key records nothing twice, "
                "the same key on another request is a 409 `idempotency_key_reused`.",
            }
        ]
    }


def singular(word: str) -> str:
    """Return an English plural noun in the singular (households → household)."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if is_plural(word):
        return word[:-1]
    return word


def is_plural(word: str) -> bool:
    """Tell whether a path word names a collection (a plural noun) rather than an action."""
    return word.endswith("s") and not word.endswith("ss")


def operation_name(method: str, path: str, returns_many: bool) -> str:
    """Return the readable id of a method on a path (`GET /cases` → `cases_list`).

    Every word of the path but its parameters names what is acted on, in the singular where a
    parameter or another word follows. The verb comes from the method: a GET of a list or page
    is `list`, of one thing `get`; a POST to a collection is `create`, to any other word that
    word itself (`POST /cases/{case_id}/advance` → `case_advance`); PUT `set`, PATCH `update`.
    """
    segments = [s for s in path.strip("/").split("/") if s]
    words = [
        s.replace("-", "_") if i == len(segments) - 1 else singular(s.replace("-", "_"))
        for i, s in enumerate(segments)
        if not s.startswith("{")
    ]
    method = method.lower()
    last_is_word = bool(segments) and not segments[-1].startswith("{")
    if method == "get":
        verb = "list" if last_is_word and returns_many else "get"
    elif method == "post" and last_is_word and not is_plural(words[-1]):
        return "_".join(words)
    elif method == "post":
        words[-1] = singular(words[-1])
        verb = "create"
    else:
        verb = {"put": "set", "patch": "update", "delete": "delete"}.get(method, method)
    return "_".join([*words, verb])


def returns_many(operation) -> bool:
    """Tell whether an operation's first success answers a list or a page of results."""
    for status, model in sorted(operation.response_models.items(), key=lambda i: str(i[0])):
        if not isinstance(status, int) or not 200 <= status < 300 or model is None:
            continue
        field = getattr(model, "model_fields", {}).get("response")
        shape = field.annotation if field is not None else model
        if get_origin(shape) in (list, tuple, set):
            return True
        return (
            isinstance(shape, type)
            and issubclass(shape, BaseModel)
            and ("results" in shape.model_fields)
        )
    return False


class FupinAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI states the whole contract: errors, ids, headers, areas."""

    def _operation_paths(self) -> dict[int, str]:
        # Operations are cloned once per mounted router; the clones live as long as the API.
        paths = getattr(self, "_fupin_operation_paths", None)
        if paths is None:
            paths = {}
            for bound in self._get_bound_routers():
                for path, view in bound.path_operations.items():
                    full = normalize_path("/" + "/".join(p for p in (bound.prefix, path) if p))
                    for operation in view.operations:
                        paths[id(operation)] = re.sub(r"{[^}:]+:", "{", full)
            self._fupin_operation_paths = paths
        return paths

    def get_openapi_operation_id(self, operation) -> str:
        path = self._operation_paths().get(id(operation))
        if path is None:
            return super().get_openapi_operation_id(operation)
        return operation_name(operation.methods[0], path, returns_many(operation))

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = Error.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
        )
        schema["components"]["schemas"].update(error.pop("$defs", {}))
        schema["components"]["schemas"]["Error"] = error
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                for status in error_statuses(method, path, operation):
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": ERROR_STATUSES[status],
                            "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
                        },
                    )
        schema["tags"] = [
            {"name": tag, "description": areas().get(tag, tag)} for tag in tags_of(schema)
        ]
        schema["info"]["description"] = describe(schema)
        return schema


def error_statuses(method: str, path: str, operation: dict) -> list[int]:
    """Return the error statuses an operation can answer, each in the one error shape."""
    statuses = [400, 404, 422, 500]
    if operation.get("security"):
        statuses += [401, 403]
    elif method in WRITE_METHODS or "{" in path:
        statuses.append(429)  # a public endpoint that takes a resident's input is rate limited
    if method in WRITE_METHODS:
        statuses.append(409)
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        statuses.append(413)
    return sorted(statuses)


def tags_of(schema: dict) -> list[str]:
    """Return the tags of the schema's operations, in the order the routers were added."""
    seen: dict[str, None] = {}
    for methods in schema["paths"].values():
        for operation in methods.values():
            for tag in operation.get("tags", []):
                seen.setdefault(tag, None)
    return list(seen)


def _operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def describe(schema: dict) -> str:
    """Return the Markdown description of the API as its schema now stands."""
    root = next(iter(schema.get("servers") or []), {}).get("url", "")
    prefix = _common_prefix([path for _m, path, _o in _operations(schema)]) or root
    covers = areas()
    rows = []
    for tag in tags_of(schema):
        ops = [(m, p) for m, p, o in _operations(schema) if tag in o.get("tags", [])]
        bases = sorted({_area_base(p, prefix) for _m, p in ops})
        rows.append(
            f"| `{tag}` | {covers.get(tag, tag)} | {', '.join(f'`{b}`' for b in bases)} "
            f"| {len(ops)} |"
        )
    idempotent = [
        f"- `{m.upper()} {p}`（{'必填 required' if header['required'] else '可选 optional'}）"
        for m, p, o in _operations(schema)
        for header in o.get("parameters", [])
        if header.get("in") == "header" and header.get("name") == IDEMPOTENCY_HEADER
    ]
    statuses = "\n".join(f"| {status} | {text} |" for status, text in ERROR_STATUSES.items())
    return f"""\
扶贫 fupin 的开放接口：防止规模性返贫的监测、帮扶与资产、资金管理。所有路径以 `{prefix}` 开头。
The open API of fupin: monitoring against a return to poverty, assistance, and the management of
assets and funds. Every path starts with `{prefix}`.

## 认证 Authentication

- 接口令牌：请求头 `Authorization: Bearer <令牌>`，令牌由管理员用 `fupin token create` 创建。
  An API token in the header `Authorization: Bearer <token>`, made with `fupin token create`.
- 浏览器会话：已登录的 `sessionid` cookie；写操作须带 CSRF 令牌（请求头 `X-CSRFToken`）。
  A logged-in browser session; its writes also need the CSRF token (`X-CSRFToken`).
- 带令牌的请求只按令牌判断。A request with a token is judged by the token alone.
- 未标锁的接口是公开的（居民申报、进度查询、对公示提出异议），按来源地址限频（429）。
  Endpoints without a lock are public (residents' declarations, lookups, objections) and rate
  limited per address (429).

## 范围 Scope

所有读取和写入限于用户所属区划及其角色权限；区划外的对象答 404，与不存在不作区分。
Every read and write is limited to the user's regions and role; an object outside them answers
404, exactly as an absent one.

## 错误 Errors

每个错误都是同一形状 Every error has one shape (`Error`):
`{{"error": {{"code": "...", "message": "...", "details": {{...}}}}}}`。
`code` 稳定，可供程序判断；`message` 为中文（或请求语言）说明。
`code` is stable for programs; `message` is for people, in the request's language.

| 状态 Status | 含义 Meaning |
| --- | --- |
{statuses}

## 幂等 Idempotency

以下写操作接受请求头 `Idempotency-Key`（客户端生成，如 UUID）：带同一个键重试不会重复登记，
返回第一次的结果；同一个键用于内容不同的另一请求返回 409 `idempotency_key_reused`。
These writes take an `Idempotency-Key` header (made by the client, e.g. a UUID): a retry with the
same key records nothing twice and answers with the first result; the same key on a different
request is a 409 `idempotency_key_reused`.

{chr(10).join(idempotent) or "-"}

## 分页 Pagination

列表按页返回 `{{"count", "page", "pages", "results"}}`，每页 {PAGE_SIZE} 条；查询参数 `page`
从 1 开始，超出范围时返回最近的一页。Lists come in pages of {PAGE_SIZE}:
`{{"count", "page", "pages", "results"}}`; the `page` query parameter starts at 1, and a page out
of range gives the nearest one.

## 接口分组 Areas

| 分组 Tag | 内容 Content | 路径 Paths | 接口数 Operations |
| --- | --- | --- | --- |
{chr(10).join(rows)}
"""


def _common_prefix(paths: list[str]) -> str:
    parts = [p.strip("/").split("/") for p in paths]
    if not parts:
        return ""
    common = []
    for words in zip(*parts, strict=False):
        if len(set(words)) != 1 or words[0].startswith("{"):
            break
        common.append(words[0])
    return "/" + "/".join(common) if common else ""


def _area_base(path: str, prefix: str) -> str:
    rest = path[len(prefix) :].strip("/").split("/")
    return "/" + rest[0] if rest and rest[0] else "/"
