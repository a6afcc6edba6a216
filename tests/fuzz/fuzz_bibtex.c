/*
 * Fuzzes the BibTeX reader (and, through it, the LaTeX decoder, the name
 * parser and crossref/xdata inheritance) and both BibTeX writers, with
 * CSL-JSON as a third output.
 */
#include <stddef.h>
#include <stdint.h>

#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cwf_convert("bibtex", (const char *[]){"csljson", "bibtex", "biblatex", NULL}, NULL, data,
	            size);
	return 0;
}
