#!/bin/sh
# Page images of the documents for the README (docs/pages): the example dossier's annex,
# the shipped CCAP model filled in place and the review PDF, through LibreOffice and pdftoppm.
# Rerunnable: sh scripts/build_page_images.sh (needs soffice and poppler-utils).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ACHATSDESK_HOME="$work/home"
cli="$root/.venv/bin/achatsdesk-cli"
example="$root/examples/nettoyage-colleges.json"
cd "$work"
"$cli" export annex "$example" -o annexe.docx 2>/dev/null
"$cli" export piece "$example" --model "$root/resources/templates/modele-ccap.docx" -o ccap.docx 2>/dev/null
"$cli" export review "$example" -o rapport.pdf --annex annexe.docx
soffice --headless "-env:UserInstallation=file://$work/lo" --convert-to pdf annexe.docx ccap.docx >/dev/null 2>&1
page_with() {  # first page of $1 whose text holds $2
    n=1
    while pdftotext -f $n -l $n "$1" - >/dev/null 2>&1; do
        if pdftotext -f $n -l $n "$1" - | grep -q "$2"; then echo $n; return; fi
        n=$((n + 1))
    done
    echo 1
}
out="$root/docs/pages"
mkdir -p "$out"
pdftoppm -png -r 70 -singlefile -f 1 -l 1 ccap.pdf "$out/piece-ccap-remplie-p1"
pdftoppm -png -r 70 -singlefile -f 1 -l 1 annexe.pdf "$out/annexe-p1"
p=$(page_with annexe.pdf "À vérifier")
pdftoppm -png -r 70 -singlefile -f "$p" -l "$p" annexe.pdf "$out/annexe-articles"
p=$(page_with annexe.pdf "Points à vérifier avant publication$")
pdftoppm -png -r 70 -singlefile -f "$p" -l "$p" annexe.pdf "$out/annexe-points-a-verifier"
pdftoppm -png -r 70 -singlefile -f 1 -l 1 rapport.pdf "$out/rapport-p1"
p=$(page_with rapport.pdf "5. Clauses retenues")
pdftoppm -png -r 70 -singlefile -f "$p" -l "$p" rapport.pdf "$out/rapport-clauses"
ls "$out"
