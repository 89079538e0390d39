"""The package around the text: what makes a generated .docx one Word opens without repair.

Two steps, on the python-docx Document before it is saved:

``clean_package`` keeps an organisation's model to its styles, page setup,
header and footer: macros (``vbaProject.bin`` and its companions), custom XML,
embedded objects, attached templates, frames, sub-documents and every external
relationship are dropped, together with the XML that pointed at them (a dangling
``r:id`` is exactly what makes Word offer to "repair" a file). It returns, in
French, what it dropped so that the buyer is told.

``finish_package`` sets what Word reads on opening: core properties (title,
subject, creator "achatsdesk", today's dates), ``docProps/app.xml``,
compatibility mode 15 (Word 2013 and later, no "mode de compatibilité" banner),
``w:updateFields`` so that the table of contents gets its page numbers, and
turns the non-breaking hyphens of the text into Word's own ``w:noBreakHyphen``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from achatsdesk.documents.typography import NB_HYPHEN

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE_2006 = "http://schemas.microsoft.com/office/2006/relationships/"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

# Relationship types never carried into a generated document, with what the buyer is told.
_DROPPED: dict[str, str] = {
    _OFFICE_2006 + "vbaProject": "les macros (vbaProject.bin)",
    _OFFICE_2006 + "keyMapCustomizations": "les raccourcis clavier des macros",
    _OFFICE_2006 + "wordVbaData": "les données des macros",
    "http://schemas.microsoft.com/office/2006/relationships/vbaProjectSignature": "la signature des macros",
    RT.CUSTOM_XML: "les données XML personnalisées",
    RT.OLE_OBJECT: "les objets incorporés",
    RT.PACKAGE: "les objets incorporés",
    _OFFICE_DOC + "attachedTemplate": "le modèle attaché",
    _OFFICE_DOC + "frame": "les cadres (frames)",
    _OFFICE_DOC + "subDocument": "les sous-documents",
    _OFFICE_DOC + "aFChunk": "les contenus importés (altChunk)",
}
# Dropped without a word: parts python-docx's own default template carries that Word
# rebuilds itself (and whose stale copy the validator rightly flags).
_SILENT = {
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    RT.THUMBNAIL,
}
_EXTERNAL = "les liens vers des fichiers ou des sites externes"
_APP_XML = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_UNWRAP = {qn("w:hyperlink"), qn("w:customXml"), qn("w:smartTag")}


def clean_package(document: DocumentObject) -> list[str]:
    """Drop what an organisation model must not bring; returns what was dropped (French, once each)."""
    dropped: list[str] = []
    package = document.part.package
    for rel in list(package.rels.values()):
        if rel.reltype in _SILENT:
            _drop(package, rel.rId)
    for part in list(package.iter_parts()):
        gone: set[str] = set()
        for rel in list(part.rels.values()):
            label = _DROPPED.get(rel.reltype) or (_EXTERNAL if rel.is_external else None)
            if label is None and rel.reltype not in _SILENT:
                continue
            if label and label not in dropped:
                dropped.append(label)
            gone.add(rel.rId)
            _drop(part, rel.rId)
        if gone and isinstance(part, XmlPart):
            _remove_references(part._element, gone)
        elif gone and part.partname.endswith("webSettings.xml"):
            part._blob = _without_frameset(part.blob)
    for part in package.iter_parts():
        if isinstance(part, XmlPart):
            for element in list(part._element.iter(qn("w:dataBinding"))):
                element.getparent().remove(element)  # bound to the custom XML just dropped
    return dropped


def _drop(owner, r_id: str) -> None:
    del owner.rels[r_id]
    owner.rels._target_parts_by_rId.pop(r_id, None)


def _remove_references(root, gone: set[str]) -> None:
    """Every element pointing at a dropped relationship: unwrapped (a hyperlink keeps its
    text), an attribute removed (a linked picture), or removed whole (an object, a frame)."""
    for element in list(root.iter()):
        attributes = [name for name, value in element.attrib.items() if name.startswith(f"{{{_R_NS}}}") and value in gone]
        if not attributes:
            continue
        parent = element.getparent()
        if element.tag in _UNWRAP and parent is not None:
            index = parent.index(element)
            for child in list(element):
                if child.tag not in (qn("w:customXmlPr"), qn("w:smartTagPr")):
                    parent.insert(index, child)
                    index += 1
            parent.remove(element)
        elif element.tag.endswith("}blip") or element.tag.endswith("}imagedata"):
            for name in attributes:
                del element.attrib[name]
        elif parent is not None:
            # An embedded object lives in a run: drop the run, not only its object.
            holder = parent if parent.tag == qn("w:r") and element.tag == qn("w:object") else element
            if holder.getparent() is not None:
                holder.getparent().remove(holder)


def _without_frameset(blob: bytes) -> bytes:
    root = etree.fromstring(blob)
    for frameset in root.findall(qn("w:frameset")):
        root.remove(frameset)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- what Word reads on opening -----------------------------------------------------------
def finish_package(document: DocumentObject, *, title: str, subject: str, when: datetime | None = None,
                   update_fields: bool = False) -> None:
    now = (when or datetime.now(UTC)).replace(microsecond=0)
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)  # python-docx writes W3CDTF in UTC ("Z")
    core = document.core_properties
    core.title = title[:250]
    core.subject = subject[:250]
    core.author = "achatsdesk"
    core.last_modified_by = "achatsdesk"
    core.keywords = ""
    core.category = ""
    core.revision = 1
    core.created = core.modified = now
    printed = core._element.find(qn("cp:lastPrinted"))
    if printed is not None:  # the model's print date says nothing about this document
        core._element.remove(printed)
    description = core._element.find(qn("dc:description"))
    if description is not None:  # "generated by python-docx"
        core._element.remove(description)
    _app_properties(document)
    _ensure_theme(document)
    settings = document.settings.element
    _compatibility_mode(settings, 15)
    _set_flag(settings, "w:updateFields", on=update_fields)
    _no_break_hyphens(document)


def _app_properties(document: DocumentObject) -> None:
    from achatsdesk import __version__

    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Template>Normal.dotm</Template><Application>achatsdesk</Application><DocSecurity>0</DocSecurity>"
        f"<ScaleCrop>false</ScaleCrop><Company></Company><LinksUpToDate>false</LinksUpToDate>"
        f"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>{_app_version(__version__)}</AppVersion>"
        "</Properties>"
    ).encode()
    package = document.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = xml
            return
    part = Part(PackURI("/docProps/app.xml"), _APP_XML, xml, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def _ensure_theme(document: DocumentObject) -> None:
    """A model saved by LibreOffice has no theme part, which Word requires: python-docx's own is added."""
    if any(rel.reltype == RT.THEME for rel in document.part.rels.values()):
        return
    from docx import Document
    from docx.opc.constants import CONTENT_TYPE as CT

    default = Document().part.part_related_by(RT.THEME)
    names = {str(part.partname) for part in document.part.package.iter_parts()}
    name = next(f"/word/theme/theme{n}.xml" for n in range(1, 100) if f"/word/theme/theme{n}.xml" not in names)
    theme = Part(PackURI(name), CT.OFC_THEME, default.blob, document.part.package)
    document.part.relate_to(theme, RT.THEME)


def _app_version(version: str) -> str:
    """AppVersion is "XX.YYYY" in the schema: 0.1.0 becomes 00.0100."""
    numbers = [int(n) for n in version.split(".")[:3] if n.isdigit()] + [0, 0, 0]
    return f"{numbers[0]:02d}.{numbers[1]:02d}{numbers[2]:02d}"


# Schema order of w:settings children up to w:compat (an element must come before these).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)
_AFTER_COMPAT = _AFTER_UPDATE_FIELDS[4:]


def _set_flag(settings, tag: str, *, on: bool) -> None:
    existing = settings.find(qn(tag))
    if existing is not None:
        settings.remove(existing)
    if on:
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        settings.insert_element_before(element, *_AFTER_UPDATE_FIELDS)


def _compatibility_mode(settings, mode: int) -> None:
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        settings.insert_element_before(compat, *_AFTER_COMPAT)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))
            return
    setting = OxmlElement("w:compatSetting")
    setting.set(qn("w:name"), "compatibilityMode")
    setting.set(qn("w:uri"), "http://schemas.microsoft.com/office/word")
    setting.set(qn("w:val"), str(mode))
    compat.append(setting)


def _no_break_hyphens(document: DocumentObject) -> None:
    """U+2011 in the text becomes Word's <w:noBreakHyphen/> (fonts seldom draw U+2011 itself)."""
    parts = [document.part, *(rel.target_part for rel in document.part.rels.values()
                              if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER))]
    for part in parts:
        for text in [t for t in part._element.iter(qn("w:t")) if t.text and NB_HYPHEN in t.text]:
            run = text.getparent()
            if run is None or run.tag != qn("w:r"):
                text.text = text.text.replace(NB_HYPHEN, "-")
                continue
            index = run.index(text)
            pieces = text.text.split(NB_HYPHEN)
            text.text = pieces[0]
            text.set(qn("xml:space"), "preserve")
            for piece in pieces[1:]:
                index += 1
                run.insert(index, OxmlElement("w:noBreakHyphen"))
                if piece:
                    index += 1
                    following = OxmlElement("w:t")
                    following.set(qn("xml:space"), "preserve")
                    following.text = piece
                    run.insert(index, following)
