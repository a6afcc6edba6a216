/*
 * Fuzz target: the text reader (reference lists: lines, paragraphs, list
 * markers, a byte order mark) with the citation parser behind it, and the
 * CSL-JSON and BibTeX writers on what it infers.
 */
#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cwf_convert("text", (const char *[]){"csljson", "bibtex", NULL}, NULL, data, size);
	return 0;
}
