/*
 * Fuzzes the JATS reader (libxml2 underneath, our mapping on top), then
 * writes what it read as CSL-JSON and as JATS (article or ref-list), and
 * once more through the references filter.
 */
#include <stddef.h>
#include <stdint.h>

#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const to[] = {"csljson", "jats", NULL};
	static const char *const refs[] = {"references", NULL};
	cwf_convert("jats", to, NULL, data, size);
	cwf_convert("jats", to, refs, data, size);
	return 0;
}
