#!/usr/bin/env python3
"""Copies the golden transcripts of Tests/EndToEndTests/Golden into the docs: every fenced block in
README.md and docs/*.md whose first line is the command line of a golden file ("$ soundloc ...")
is replaced by that file, word for word. Run it after re-recording the goldens
(SOUNDLOC_RECORD_GOLDEN=1 ... --filter GoldenOutputTests); GoldenOutputTests then checks the docs."""
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
golden = {}
for path in sorted((root / "Tests/EndToEndTests/Golden").glob("*.txt")):
    text = path.read_text()
    golden[text.split("\n", 1)[0]] = text

changed = []
for doc in [root / "README.md"] + sorted((root / "docs").glob("*.md")):
    lines = doc.read_text().split("\n")
    out, i = [], 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].startswith("```") and i + 1 < len(lines) and lines[i + 1] in golden:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            out.extend(golden[lines[i + 1]].rstrip("\n").split("\n"))
            i = end
            continue
        i += 1
    text = "\n".join(out)
    if text != doc.read_text():
        doc.write_text(text)
        changed.append(str(doc.relative_to(root)))
print("updated: " + (", ".join(changed) if changed else "nothing"), file=sys.stderr)
