/*
 * Fuzz target: the Dublin Core XML reader (oai_dc, OAI-PMH responses,
 * qualified DC) and, on what it reads, the oai_dc, qualified DC
 * and CSL-JSON writers.
 */
#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cwf_convert("dc", (const char *[]){"csljson", "dc", "dcterms", NULL}, NULL, data, size);
	return 0;
}
