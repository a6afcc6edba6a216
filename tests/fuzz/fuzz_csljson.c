/*
 * Fuzzes the CSL-JSON reader (array, single item and JSON Lines layouts),
 * then writes what it read as CSL-JSON and JSON Lines.
 */
#include <stddef.h>
#include <stdint.h>

#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const to[] = {"csljson", "csljsonl", NULL};
	cwf_convert("csljson", to, NULL, data, size);
	cwf_convert("csljsonl", to, NULL, data, size);
	return 0;
}
