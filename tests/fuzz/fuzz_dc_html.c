/*
 * Fuzz target: the html-meta reader (libxml2's HTML parser, DC and
 * citation_* tags) and the DC writers on what it reads.
 */
#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cwf_convert("html-meta", (const char *[]){"csljson", "dc", "html-meta", NULL}, NULL, data,
	            size);
	return 0;
}
