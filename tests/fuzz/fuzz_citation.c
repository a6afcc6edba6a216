/*
 * Fuzz target: the citation parser (cw_citation_parse) through the text
 * reader, one reference per line or paragraph, and the CSL-JSON and BibTeX
 * writers on what it infers. The parser reads untrusted text: any bytes,
 * rich-text marker bytes included, must give records or a clean error.
 */
#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cwf_convert("text", (const char *[]){"csljson", "bibtex", NULL}, NULL, data, size);
	return 0;
}
