"""Typed, read-only views over decoded JSON objects: the base of every chunk.

A chunk keeps the ``dict`` that ``json.loads`` returned and reads its fields
on access, through the descriptors below. Decoding an event therefore costs
one ``json.loads`` and one small object, whatever the chunk's size; a field
is type-checked when it is read, and a wrong type raises
:class:`~sse_core.endpoints.ChunkTypeError` naming the field's path.

writer-sdk builds its models with ``construct_type`` and no validation
(``writerai/_models.py``): a missing field reads ``None``, extra keys are kept,
types are never checked. The views keep the first two behaviours and check
types instead.
"""

# This module reads decoded JSON, untyped by nature (every value's type is
# checked at run time), and its field classes read View's slots directly.
# pyright: reportUnknownVariableType=false, reportUnknownArgumentType=false
# pyright: reportUnknownMemberType=false, reportPrivateUsage=false

from __future__ import annotations

from typing import (
    Any,
    ClassVar,
    Generic,
    NoReturn,
    Optional,
    TypeVar,
    Union,
    overload,
)

from ._errors import ChunkTypeError

__all__ = [
    "Field",
    "Items",
    "ItemsOrEmpty",
    "NullableItems",
    "Object",
    "ObjectOrEmpty",
    "Path",
    "Required",
    "Scalar",
    "ScalarItems",
    "View",
    "copy_json",
    "declared_keys",
    "format_path",
    "new_object",
    "set_obj",
    "set_path",
]

Path = tuple[Union[str, int], ...]

_T = TypeVar("_T")
_S = TypeVar("_S", str, int, float, bool)
_V = TypeVar("_V", bound="View")

_EXPECTED = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}


def format_path(path: Path) -> str:
    """``("choices", 0, "delta")`` -> ``"choices[0].delta"``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class View:
    """A read-only, typed view of one JSON object.

    Fields read ``None`` when their key is absent or null, unless documented
    otherwise. Keys the class does not declare are kept: see :attr:`raw` and
    :attr:`extras`. Views compare equal when they are of the same class and
    view equal JSON.
    """

    __slots__ = ("_obj", "_path")
    _fields: ClassVar[tuple[Field[Any], ...]] = ()
    _keys: ClassVar[frozenset[str]] = frozenset()

    _obj: dict[str, Any]
    _path: Path

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: list[Field[Any]] = []
        for klass in reversed(cls.__mro__):
            fields.extend(v for v in vars(klass).values() if isinstance(v, Field))
        cls._fields = tuple(fields)
        cls._keys = frozenset(field.key for field in fields)

    def __init__(self, obj: dict[str, Any], path: Path = ()) -> None:
        _set_obj(self, obj)
        _set_path(self, path)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._obj, self._path))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, View) and type(other) is type(self):
            return self._obj == other._obj
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a mutable dict

    def __repr__(self) -> str:
        parts = []
        for field in self._fields:
            value = self._obj.get(field.key)
            if value is None:
                continue
            try:
                shown = field.__get__(self, type(self))
            except ChunkTypeError:
                shown = value
            try:
                parts.append(f"{field.name}={shown!r}")
            except RecursionError:
                # JSON nested deeper than repr() can recurse (the decoder
                # accepts more): still a readable repr.
                parts.append(f"{field.name}=<nested too deeply to show>")
        return f"{type(self).__name__}({', '.join(parts)})"

    @property
    def raw(self) -> dict[str, Any]:
        """The JSON object this view reads, as decoded, with every key.

        It is the view's own storage: treat it as read-only (use
        :meth:`to_dict` for a copy to modify).
        """
        return self._obj

    @property
    def extras(self) -> dict[str, Any]:
        """The keys this class does not declare (fields newer than the schema)."""
        keys = self._keys
        return {key: value for key, value in self._obj.items() if key not in keys}

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of :attr:`raw`, safe to modify."""
        copied: dict[str, Any] = copy_json(self.raw)
        return copied


def declared_keys(cls: type[View]) -> frozenset[str]:
    """The JSON keys a view class declares fields for."""
    return cls._keys


def copy_json(value: Any) -> Any:
    """Deep-copy decoded JSON without recursion.

    ``json.loads`` accepts nesting deeper than ``copy.deepcopy`` can recurse
    (found by fuzzing: 600 nested arrays), so copy with an explicit stack.
    """
    if not isinstance(value, (dict, list)):
        return value
    root: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in items:
            if isinstance(item, (dict, list)):
                child: Any = {} if isinstance(item, dict) else []
                stack.append((item, child))
            else:
                child = item
            if isinstance(target, dict):
                target[key] = child
            else:
                target.append(child)
    return root


# Slot descriptors, called directly: View.__setattr__ refuses assignment.
_set_obj = View.__dict__["_obj"].__set__
_set_path = View.__dict__["_path"].__set__
_new_object = object.__new__
# The same, for the modules that build views in their own hot loops (the
# decoder): ``set_path(set_obj(new_object(cls)...)...)`` is ``cls(obj, path)``
# for a class that keeps View.__init__.
new_object = _new_object
set_obj = _set_obj
set_path = _set_path


def _make(cls: type[_V], obj: dict[str, Any], path: Path) -> _V:
    # ``cls(obj, path)`` without the frame of View.__init__, for the nested
    # views built on every read (classes that keep View.__init__ only).
    view: _V = _new_object(cls)
    _set_obj(view, obj)
    _set_path(view, path)
    return view


class Field(Generic[_T]):
    """A declared key of a view: reads, type-checks and wraps its value."""

    __slots__ = ("key", "name")

    def __init__(self, key: str = "") -> None:
        self.key = key
        self.name = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        if not self.key:
            self.key = name

    @overload
    def __get__(self, view: None, owner: type) -> Field[_T]: ...
    @overload
    def __get__(self, view: View, owner: type) -> _T: ...
    def __get__(self, view: View | None, owner: type) -> Field[_T] | _T:
        if view is None:
            return self
        return self.read(view, view._obj.get(self.key))

    def __set__(self, view: View, value: NoReturn) -> NoReturn:
        # Never called through View (its __setattr__ refuses first); declared
        # so that type checkers reject assignment to a field.
        raise AttributeError(f"{type(view).__name__} is immutable")

    def read(self, view: View, value: Any) -> _T:
        raise NotImplementedError

    def fail(
        self, view: View, expected: str, value: object, *index: int
    ) -> ChunkTypeError:
        return ChunkTypeError(
            format_path((*view._path, self.key, *index)), expected, value
        )


def _is(kind: type, value: object) -> bool:
    # JSON numbers: bool is an int subclass and must not pass; an integral
    # number written without a fraction is a valid "number".
    if kind is float:
        return type(value) is float or type(value) is int
    return type(value) is kind


class Scalar(Field[Optional[_S]], Generic[_S]):
    """A string, integer, number or boolean; ``None`` when absent or null."""

    __slots__ = ("kind",)

    def __init__(self, kind: type[_S], key: str = "") -> None:
        super().__init__(key)
        self.kind: type[_S] = kind

    def read(self, view: View, value: Any) -> _S | None:
        if value is None or _is(self.kind, value):
            return value  # type: ignore[no-any-return]
        raise self.fail(view, _EXPECTED[self.kind], value)

    # The fast paths below are Field.__get__ followed by read(), in one frame
    # for the fields read on every chunk; anything unusual goes to read().

    @overload
    def __get__(self, view: None, owner: type) -> Scalar[_S]: ...
    @overload
    def __get__(self, view: View, owner: type) -> _S | None: ...
    def __get__(self, view: View | None, owner: type) -> Scalar[_S] | _S | None:
        if view is None:
            return self
        value = view._obj.get(self.key)
        if value is None or type(value) is self.kind:
            return value
        return self.read(view, value)


class Required(Field[_S], Generic[_S]):
    """A scalar that must be present: reading it absent or null is an error."""

    __slots__ = ("kind",)

    def __init__(self, kind: type[_S], key: str = "") -> None:
        super().__init__(key)
        self.kind: type[_S] = kind

    def read(self, view: View, value: Any) -> _S:
        if _is(self.kind, value):
            return value  # type: ignore[no-any-return]
        raise self.fail(view, _EXPECTED[self.kind], value)


class Object(Field[Optional[_V]], Generic[_V]):
    """A nested object, wrapped in its view class; ``None`` when absent or null."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[_V], key: str = "") -> None:
        super().__init__(key)
        self.cls = cls

    def read(self, view: View, value: Any) -> _V | None:
        if value is None:
            return None
        if type(value) is dict:
            return _make(self.cls, value, (*view._path, self.key))
        raise self.fail(view, "an object", value)


class ObjectOrEmpty(Field[_V], Generic[_V]):
    """A nested object that is never ``None``: absent or null reads as ``{}``."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[_V], key: str = "") -> None:
        super().__init__(key)
        self.cls = cls

    def read(self, view: View, value: Any) -> _V:
        if value is None:
            value = {}
        elif type(value) is not dict:
            raise self.fail(view, "an object", value)
        return _make(self.cls, value, (*view._path, self.key))

    @overload
    def __get__(self, view: None, owner: type) -> ObjectOrEmpty[_V]: ...
    @overload
    def __get__(self, view: View, owner: type) -> _V: ...
    def __get__(self, view: View | None, owner: type) -> ObjectOrEmpty[_V] | _V:
        if view is None:
            return self
        value = view._obj.get(self.key)
        if type(value) is dict:
            # _make(self.cls, value, (*view._path, self.key)), inlined.
            item_view = _new_object(self.cls)
            _set_obj(item_view, value)
            _set_path(item_view, (*view._path, self.key))
            return item_view
        return self.read(view, value)


def _items(
    field: Field[Any], cls: type[_V], view: View, value: list[Any]
) -> tuple[_V, ...]:
    path = (*view._path, field.key)
    items: list[_V] = []
    append = items.append
    for index, item in enumerate(value):
        if type(item) is not dict:
            raise field.fail(view, "an object", item, index)
        # _make(cls, item, (*path, index)), inlined: this loop builds every
        # chat chunk's choices.
        item_view = _new_object(cls)
        _set_obj(item_view, item)
        _set_path(item_view, (*path, index))
        append(item_view)
    return tuple(items)


class Items(Field[Optional[tuple[_V, ...]]], Generic[_V]):
    """An array of objects, as a tuple of views; ``None`` when absent or null."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[_V], key: str = "") -> None:
        super().__init__(key)
        self.cls = cls

    def read(self, view: View, value: Any) -> tuple[_V, ...] | None:
        if value is None:
            return None
        if type(value) is list:
            return _items(self, self.cls, view, value)
        raise self.fail(view, "an array", value)


class ItemsOrEmpty(Field[tuple[_V, ...]], Generic[_V]):
    """An array of objects that is never ``None``: absent or null reads as ``()``."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[_V], key: str = "") -> None:
        super().__init__(key)
        self.cls = cls

    def read(self, view: View, value: Any) -> tuple[_V, ...]:
        if value is None:
            return ()
        if type(value) is list:
            return _items(self, self.cls, view, value)
        raise self.fail(view, "an array", value)

    @overload
    def __get__(self, view: None, owner: type) -> ItemsOrEmpty[_V]: ...
    @overload
    def __get__(self, view: View, owner: type) -> tuple[_V, ...]: ...
    def __get__(
        self, view: View | None, owner: type
    ) -> ItemsOrEmpty[_V] | tuple[_V, ...]:
        if view is None:
            return self
        value = view._obj.get(self.key)
        if type(value) is list:
            if len(value) == 1:
                # _items for the one-item array (a chat chunk's one choice),
                # without its loop and list: the same view, the same path.
                item = value[0]
                if type(item) is dict:
                    item_view = _new_object(self.cls)
                    _set_obj(item_view, item)
                    _set_path(item_view, (*view._path, self.key, 0))
                    return (item_view,)
            return _items(self, self.cls, view, value)
        return self.read(view, value)


class NullableItems(Field[Optional[tuple[Optional[_V], ...]]], Generic[_V]):
    """An array of objects or nulls (``List[Optional[Source]]`` in the SDK)."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[_V], key: str = "") -> None:
        super().__init__(key)
        self.cls = cls

    def read(self, view: View, value: Any) -> tuple[_V | None, ...] | None:
        if value is None:
            return None
        if type(value) is not list:
            raise self.fail(view, "an array", value)
        path = (*view._path, self.key)
        items: list[_V | None] = []
        for index, item in enumerate(value):
            if item is None:
                items.append(None)
            elif type(item) is dict:
                items.append(_make(self.cls, item, (*path, index)))
            else:
                raise self.fail(view, "an object or null", item, index)
        return tuple(items)


class ScalarItems(Field[Optional[tuple[_S, ...]]], Generic[_S]):
    """An array of scalars, as a tuple; ``None`` when absent or null."""

    __slots__ = ("kind",)

    def __init__(self, kind: type[_S], key: str = "") -> None:
        super().__init__(key)
        self.kind: type[_S] = kind

    def read(self, view: View, value: Any) -> tuple[_S, ...] | None:
        if value is None:
            return None
        if type(value) is not list:
            raise self.fail(view, "an array", value)
        kind = self.kind
        for index, item in enumerate(value):
            if not _is(kind, item):
                raise self.fail(view, _EXPECTED[kind], item, index)
        return tuple(value)
