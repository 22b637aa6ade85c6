"""DCAT-AP metadata for harvesters, written by hand from CKAN-shaped package dicts:
JSON-LD, Turtle and RDF/XML for the catalog (paged) and for each dataset, and the
Project Open Data (DCAT-US 1.1) ``data.json`` catalog. Pure: no Django."""

from __future__ import annotations

PAGE_SIZE = 100
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
}
PREFIXES = "".join(f"@prefix {k}: <{v}> .\n" for k, v in CONTEXT.items())


def dataset_uri(base: str, package: dict) -> str:
    return f"{base}/data/{package['name']}/"


def _distribution(resource: dict) -> dict:
    node = {
        "@id": resource["url"] if resource["url"].startswith("http") else resource["id"],
        "@type": "dcat:Distribution",
        "dct:title": resource["name"],
        "dcat:accessURL": {"@id": resource["url"]},
        "dct:format": resource.get("format") or "",
    }
    if resource.get("url_type") == "upload":
        node["dcat:downloadURL"] = {"@id": resource["url"]}
    if resource.get("size"):
        node["dcat:byteSize"] = {"@value": str(resource["size"]), "@type": "xsd:decimal"}
    if resource.get("mimetype"):
        node["dcat:mediaType"] = resource["mimetype"]
    return node


def dataset_node(package: dict, base: str) -> dict:
    node = {
        "@id": dataset_uri(base, package),
        "@type": "dcat:Dataset",
        "dct:identifier": package["id"],
        "dct:title": package["title"],
        "dct:description": package.get("notes") or "",
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": package["organization"]["title"],
        },
        "dct:issued": {"@value": package["metadata_created"], "@type": "xsd:dateTime"},
        "dct:modified": {"@value": package["metadata_modified"], "@type": "xsd:dateTime"},
        "dcat:keyword": [t["name"] for t in package.get("tags", [])],
        "dcat:theme": [g["title"] for g in package.get("groups", [])],
        "dcat:landingPage": {"@id": dataset_uri(base, package)},
        "dct:accrualPeriodicity": package.get("update_frequency", ""),
        "dcat:distribution": [_distribution(r) for r in package.get("resources", [])],
    }
    if package.get("license_url"):
        node["dct:license"] = {"@id": package["license_url"]}
    if package.get("maintainer_email"):
        node["dcat:contactPoint"] = {
            "@type": "vcard:Kind",
            "vcard:fn": package.get("maintainer") or "",
            "vcard:hasEmail": {"@id": "mailto:" + package["maintainer_email"]},
        }
    if package.get("spatial_code"):
        node["dct:spatial"] = package.get("spatial_name") or package["spatial_code"]
    if package.get("temporal_start") or package.get("temporal_end"):
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": package.get("temporal_start") or "",
            "dcat:endDate": package.get("temporal_end") or "",
        }
    return node


def dataset_jsonld(package: dict, base: str) -> dict:
    return {"@context": CONTEXT, **dataset_node(package, base)}


def catalog_jsonld(packages: list[dict], base: str, page: int = 1) -> dict:
    data = {
        "@context": CONTEXT,
        "@id": f"{base}/data/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": "Bali One Data",
        "dct:description": "Satu Data Provinsi Bali",
        "foaf:homepage": {"@id": f"{base}/data/"},
        "dcat:dataset": [dataset_node(p, base) for p in packages],
    }
    data["hydra:view"] = _paging(base, "catalog.jsonld", page, len(packages))
    return data


def _paging(base: str, name: str, page: int, count: int) -> dict:
    view = {"@id": f"{base}/data/{name}?page={page}", "@type": "hydra:PartialCollectionView"}
    if count >= PAGE_SIZE:
        view["hydra:next"] = f"{base}/data/{name}?page={page + 1}"
    if page > 1:
        view["hydra:previous"] = f"{base}/data/{name}?page={page - 1}"
    return view


# --- Turtle -----------------------------------------------------------------------------


def literal(text) -> str:
    """A Turtle string literal with every character that needs it escaped."""
    value = str(text)
    value = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{value}"'


def iri(value: str) -> str:
    safe = "".join(c for c in str(value) if c not in '<>"{}|^`\\ ' and ord(c) > 0x20)
    return f"<{safe}>"


def _turtle_value(value) -> str:
    if isinstance(value, dict):
        if "@id" in value:
            return iri(value["@id"])
        if "@value" in value:
            return f"{literal(value['@value'])}^^{value.get('@type', 'xsd:string')}"
        inner = [f"a {value['@type']}"] if "@type" in value else []
        inner += [f"{k} {_turtle_value(v)}" for k, v in value.items() if not k.startswith("@")]
        return "[ " + " ; ".join(inner) + " ]"
    if isinstance(value, list):
        return ", ".join(_turtle_value(v) for v in value)
    return literal(value)


def _turtle_node(node: dict) -> str:
    lines = [f"{iri(node['@id'])} a {node['@type']}"]
    for key, value in node.items():
        if key.startswith("@") or key == "dcat:distribution":
            continue
        if value in ("", [], None):
            continue
        lines.append(f"    {key} {_turtle_value(value)}")
    distributions = node.get("dcat:distribution") or []
    if distributions:
        lines.append(
            "    dcat:distribution "
            + ", ".join(
                _turtle_value({k: v for k, v in d.items() if k != "@id"}) for d in distributions
            )
        )
    return " ;\n".join(lines) + " .\n"


def dataset_turtle(package: dict, base: str) -> str:
    return PREFIXES + "\n" + _turtle_node(dataset_node(package, base))


def catalog_turtle(packages: list[dict], base: str, page: int = 1) -> str:
    catalog = iri(f"{base}/data/catalog.ttl")
    nodes = [dataset_node(p, base) for p in packages]
    head = [
        f"{catalog} a dcat:Catalog",
        f"    dct:title {literal('Bali One Data')}",
        f"    foaf:homepage {iri(base + '/data/')}",
    ]
    if nodes:
        head.append("    dcat:dataset " + ", ".join(iri(n["@id"]) for n in nodes))
    view = _paging(base, "catalog.ttl", page, len(packages))
    paging = [f"{iri(view['@id'])} a hydra:PartialCollectionView"]
    if "hydra:next" in view:
        paging.append(f"    hydra:next {iri(view['hydra:next'])}")
    text = PREFIXES + "\n" + " ;\n".join(head) + " .\n\n" + " ;\n".join(paging) + " .\n"
    return text + "".join("\n" + _turtle_node(n) for n in nodes)


# --- RDF/XML ----------------------------------------------------------------------------

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML_BAD = dict.fromkeys(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))


def _xml_text(value) -> str:
    """Text for an XML 1.0 element or attribute: escaped, characters XML forbids dropped."""
    text = str(value).translate(_XML_BAD)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _expand(name: str) -> str:
    prefix, _sep, local = name.partition(":")
    return CONTEXT.get(prefix, "") + local


def _xml_property(key: str, value, indent: str) -> list[str]:
    if value in ("", [], None):
        return []
    if isinstance(value, list):
        return [line for item in value for line in _xml_property(key, item, indent)]
    if isinstance(value, dict):
        if "@id" in value and "@type" not in value:
            return [f'{indent}<{key} rdf:resource="{_xml_text(value["@id"])}"/>']
        if "@value" in value:
            kind = _expand(value.get("@type", "xsd:string"))
            return [
                f'{indent}<{key} rdf:datatype="{_xml_text(kind)}">'
                f"{_xml_text(value['@value'])}</{key}>"
            ]
        return [f"{indent}<{key}>", *_xml_node(value, indent + "  "), f"{indent}</{key}>"]
    return [f"{indent}<{key}>{_xml_text(value)}</{key}>"]


def _xml_node(node: dict, indent: str) -> list[str]:
    kind = node.get("@type", "rdf:Description")
    about = (
        f' rdf:about="{_xml_text(node["@id"])}"'
        if str(node.get("@id", "")).startswith("http")
        else ""
    )
    lines = [f"{indent}<{kind}{about}>"]
    for key, value in node.items():
        if not key.startswith("@"):
            lines += _xml_property(key, value, indent + "  ")
    lines.append(f"{indent}</{kind}>")
    return lines


def _rdf_document(body: list[str]) -> str:
    names = {"rdf": RDF, **CONTEXT}
    declarations = "".join(f'\n    xmlns:{k}="{v}"' for k, v in names.items())
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"<rdf:RDF{declarations}>\n" + "\n".join(body) + "\n</rdf:RDF>\n"
    )


def dataset_rdfxml(package: dict, base: str) -> str:
    return _rdf_document(_xml_node(dataset_node(package, base), "  "))


def catalog_rdfxml(packages: list[dict], base: str, page: int = 1) -> str:
    catalog = {
        "@id": f"{base}/data/catalog.rdf",
        "@type": "dcat:Catalog",
        "dct:title": "Bali One Data",
        "dct:description": "Satu Data Provinsi Bali",
        "foaf:homepage": {"@id": f"{base}/data/"},
        "dcat:dataset": [dataset_node(p, base) for p in packages],
    }
    view = _paging(base, "catalog.rdf", page, len(packages))
    paging = {"@id": view["@id"], "@type": "hydra:PartialCollectionView"}
    for key in ("hydra:next", "hydra:previous"):
        if key in view:
            paging[key] = {"@id": view[key]}
    return _rdf_document(_xml_node(catalog, "  ") + _xml_node(paging, "  "))


# --- Project Open Data (DCAT-US 1.1) /data.json ----------------------------------------

POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
POD_PERIODICITY = {
    "hourly": "R/PT1H",
    "daily": "R/P1D",
    "weekly": "R/P1W",
    "monthly": "R/P1M",
    "quarterly": "R/P3M",
    "yearly": "R/P1Y",
    "irregular": "irregular",
}


def _pod_distribution(resource: dict) -> dict:
    entry = {"@type": "dcat:Distribution", "title": resource["name"]}
    if resource.get("description"):
        entry["description"] = resource["description"]
    key = "downloadURL" if resource.get("url_type") == "upload" else "accessURL"
    entry[key] = resource["url"]
    if resource.get("mimetype") and key == "downloadURL":
        entry["mediaType"] = resource["mimetype"]
    if resource.get("format"):
        entry["format"] = resource["format"]
    return entry


def pod_dataset(package: dict, base: str) -> dict:
    """One dataset in the Project Open Data metadata schema v1.1 (what ckanext-datajson
    writes): the required fields always, the optional ones when the dataset has them."""
    entry = {
        "@type": "dcat:Dataset",
        "identifier": package["id"],
        "title": package["title"],
        "description": package.get("notes") or package["title"],
        "keyword": [t["name"] for t in package.get("tags", [])] or [package["name"]],
        "modified": package["metadata_modified"],
        "issued": package["metadata_created"],
        "publisher": {"@type": "org:Organization", "name": package["organization"]["title"]},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": package.get("maintainer") or package["organization"]["title"],
            "hasEmail": "mailto:" + (package.get("maintainer_email") or ""),
        },
        "accessLevel": "public" if not package.get("private") else "non-public",
        "landingPage": dataset_uri(base, package),
        "language": ["id"],
        "distribution": [_pod_distribution(r) for r in package.get("resources", [])],
    }
    if not package.get("maintainer_email"):
        del entry["contactPoint"]["hasEmail"]
    if package.get("license_url"):
        entry["license"] = package["license_url"]
    if package.get("update_frequency") in POD_PERIODICITY:
        entry["accrualPeriodicity"] = POD_PERIODICITY[package["update_frequency"]]
    if package.get("spatial_code"):
        entry["spatial"] = package.get("spatial_name") or package["spatial_code"]
    if package.get("temporal_start") and package.get("temporal_end"):
        entry["temporal"] = f"{package['temporal_start']}/{package['temporal_end']}"
    themes = [g["title"] for g in package.get("groups", [])]
    if themes:
        entry["theme"] = themes
    return entry


def data_json(packages: list[dict], base: str) -> dict:
    return {
        "@context": f"{POD_SCHEMA}/catalog.jsonld",
        "@id": f"{base}/data.json",
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": f"{POD_SCHEMA}/catalog.json",
        "dataset": [pod_dataset(p, base) for p in packages],
    }
