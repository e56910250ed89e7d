"""The OpenAPI schema class (settings.REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): drf-spectacular's, plus every
operation's error responses with the error body of core.api.exception_handler, and nullable output fields where
the data can be empty. Its own module: DRF imports it while rest_framework.generics is still loading."""
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

ERROR_SCHEMA = {
    "type": "object",
    "description": "错误：detail（中文）与 detail_en（English），或各字段的错误信息 / an error: detail and detail_en, "
                   "or the messages of each field",
    "properties": {"detail": {"type": "string"}, "detail_en": {"type": "string"}},
    "additionalProperties": True,
}
ERROR_DESCRIPTIONS = {
    400: "请求无效或被业务规则拒绝 / bad input, or refused by a business rule",
    401: "未登录 / not signed in",
    403: "无权执行 / not allowed for this user",
    404: "不存在或不在您的范围内 / not found, or not in your scope",
    409: "已被他人更新 / changed by someone else meanwhile",
}


def _nullable_source(field) -> bool:
    """Whether a read-only field's source crosses a nullable model field (a FK that may be empty)."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or source == "*":
        return False
    for name in source.split("."):
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # a method or a property: the field's own type says
            return False
        if getattr(model_field, "null", False):
            return True
        model = getattr(model_field, "related_model", None)
        if model is None:
            return False
    return False


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus: every operation documents its error responses (400 when it takes input, 401,
    403, 404) with the error body of `exception_handler`; an output field that may be empty (a default of None, a
    nullable foreign key on its way) is nullable."""

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and not isinstance(field, serializers.SerializerMethodField):
            if field.default is None or _nullable_source(field):
                meta["nullable"] = True
        return meta

    def _error_component(self):
        component = ResolvedComponent(name="Error", type=ResolvedComponent.SCHEMA, object="Error",
                                      schema=ERROR_SCHEMA)
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = [401, 403, 404]
        takes_input = self.method in ("POST", "PUT", "PATCH") or any(
            p.get("in") == "query" for p in self._get_parameters())
        if takes_input:
            codes.append(400)
        error = {"content": {"application/json": {"schema": self._error_component()}}}
        for code in codes + [int(c) for c in responses if str(c).startswith("4")]:
            existing = responses.get(str(code))
            if existing is None or "content" not in existing:
                responses[str(code)] = {**error, "description": ERROR_DESCRIPTIONS.get(code, "")}
        return dict(sorted(responses.items()))
