/*
 * Fuzzes the crosswalk-table parser (the YAML a user passes with
 * --crosswalk) and the check of a table against a schema: any bytes must
 * parse or fail cleanly, and a table that fits must answer lookups.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "crosswalk/crosswalk.h"
#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a schema with a column of every kind */
static const cw_table_column columns[] = {
    CW_TABLE_COLUMN(.name = "bibtex",
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE),
    CW_TABLE_COLUMN(.name = "dir", .type = CW_CELL_ENUM, .values = "in|out|both",
                    .default_value = "both", .flags = CW_COLUMN_KEY),
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD, .flags = CW_COLUMN_KEY),
    CW_TABLE_COLUMN(.name = "csl", .type = CW_CELL_ITEM_TYPE, .values = "*|@*"),
    CW_TABLE_COLUMN(.name = "rank", .type = CW_CELL_INT),
    CW_TABLE_COLUMN(.name = "yes", .type = CW_CELL_BOOL),
    CW_TABLE_COLUMN(.name = "types", .type = CW_CELL_ITEM_TYPE, .flags = CW_COLUMN_LIST),
    {0},
};
static const cw_table_section sections[] = {
    CW_TABLE_SECTION(.name = "fields", .columns = columns),
    CW_TABLE_SECTION(.name = "types", .columns = columns),
    {0},
};
static const cw_table_schema schema = CW_TABLE_SCHEMA(
    .name = "bibtex",
    .yaml = "format: bibtex\n",
    .yaml_len = CW_NUL,
    .yaml_name = "schema.yaml",
    .sections = sections);

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
	cw_buf_clear(&err);
	cw_table *tt = NULL;
	if (cw_table_parse(&tt, &schema, (const char *)data, size, "fuzz.yaml", &err) == CW_OK) {
		for (size_t sec = 0; sec < 2; sec++) {
			size_t n = cw_table_row_count(tt, sec);
			for (size_t i = 0; i < n; i++) {
				const cw_table_row *r = cw_table_row_at(tt, sec, i);
				for (size_t k = cw_table_find(tt, sec, 0, r->cells[0].text, CW_NUL);
				     k != CW_TABLE_NONE; k = cw_table_find_next(tt, sec, 0, k))
					if (k >= n)
						abort(); /* a chain leads outside the section */
			}
			(void)cw_table_find_value(tt, sec, 2, CW_FIELD_TITLE);
			(void)cw_table_lookup(tt, sec, 1, "in", CW_NUL, 3);
		}
		cw_table_free(tt);
	}
	cw_buf_free(&err);
	return 0;
}
