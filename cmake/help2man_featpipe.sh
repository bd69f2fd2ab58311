#!/bin/sh
# The program help2man runs to write featpipe.1: featpipe ($FEATPIPE_BIN), its output as help2man needs it.
# help2man reads an indented list item as "name, two or more spaces, description", and `featpipe --help` pads
# command names to 12 columns, which leaves one space after an 11-letter name (descriptors): that item would
# run into the next ones. The gap is widened to two spaces.
set -e
output=$("$FEATPIPE_BIN" "$@")
printf '%s\n' "$output" | sed -E 's/^(  [a-z-]+) ([^ ])/\1  \2/'
