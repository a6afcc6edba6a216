/*
 * Fuzzes the crosswalk-table parser (the YAML a user passes with
 * --crosswalk): any bytes must parse or fail cleanly.
 */
#include <stddef.h>
#include <stdint.h>

#include "crosswalk/crosswalk.h"
#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cw_xwalk *t = NULL;
	cw_buf err = CW_BUF_INIT;
	if (cw_xwalk_parse(&t, (const char *)data, size, "fuzz.yaml", &err) == CW_OK) {
		size_t n = cw_xwalk_row_count(t, "fields");
		for (size_t i = 0; i < n; i++)
			(void)cw_xwalk_cell(t, "fields", i, "field");
		(void)cw_xwalk_lookup(t, "types", "bibtex", "article", "csl", 1);
		cw_xwalk_free(t);
	}
	cw_buf_free(&err);
	return 0;
}
