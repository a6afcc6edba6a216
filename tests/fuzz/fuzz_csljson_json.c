/*
 * Differential fuzzing of the CSL-JSON plugin's JSON parser against
 * jansson: a text one accepts and the other rejects, or a value they read
 * differently, aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256];
	if (cwt_json_oracle((const char *)data, size, why, sizeof why)) {
		fprintf(stderr, "csljson_json disagrees with jansson: %s\n", why);
		abort();
	}
	return 0;
}
