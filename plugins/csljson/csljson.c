/*
 * CSL-JSON plugin descriptor: formats, options and the content probe.
 */
#include <string.h>

#include "csljson.h"

/* Skips a UTF-8 BOM and white space. */
static const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end)
{
	if (end - p >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* 1 if a CSL-looking key occurs in the buffer. */
static int has_csl_key(const cw_probe_input *in)
{
	static const char *const keys[] = {"\"type\"", "\"id\"", "\"title\"", "\"author\"",
	                                   "\"issued\"", "\"container-title\"", NULL};
	for (const char *const *k = keys; *k; k++)
		if (strstr((const char *)in->buf, *k))
			return 1;
	return 0;
}

/* A JSON array of items or a single item. */
static int probe_json(const cw_probe_input *in)
{
	const unsigned char *end = in->buf + in->size;
	const unsigned char *p = skip_ws(in->buf, end);
	if (p == end)
		return CW_PROBE_NONE;
	if (*p == '[') {
		p = skip_ws(p + 1, end);
		if (p < end && *p == ']')
			return CW_PROBE_WEAK;
		if (p < end && *p == '{')
			return has_csl_key(in) ? CW_PROBE_LIKELY : CW_PROBE_WEAK;
		return CW_PROBE_NONE;
	}
	if (*p == '{')
		return has_csl_key(in) ? CW_PROBE_LIKELY : CW_PROBE_WEAK;
	return CW_PROBE_NONE;
}

/* JSON Lines: an object, a newline, another object. */
static int probe_lines(const cw_probe_input *in)
{
	const unsigned char *end = in->buf + in->size;
	const unsigned char *p = skip_ws(in->buf, end);
	if (p == end || *p != '{')
		return CW_PROBE_NONE;
	for (const unsigned char *q = p; q + 1 < end; q++)
		if (q[0] == '}' && (q[1] == '\n' || (q[1] == '\r' && q + 2 < end && q[2] == '\n'))) {
			const unsigned char *r = skip_ws(q + 1, end);
			if (r < end && *r == '{')
				return has_csl_key(in) ? CW_PROBE_LIKELY + 5 : CW_PROBE_WEAK;
		}
	return CW_PROBE_NONE;
}

#define INLINE_UNKNOWN                                                                        \
	{.name = "inline-unknown", .type = CW_OPT_BOOL, .default_value = "false",                  \
	 .help = "write keys CSL does not define back at the item's top level, as read, instead "  \
	         "of in \"custom\" (the output is then not valid against the CSL schema)"}

static const cw_option_spec writer_options[] = {
	{.name = "compact", .type = CW_OPT_BOOL, .default_value = "false",
	 .help = "write the array without indentation"},
	INLINE_UNKNOWN,
	{.name = NULL},
};

static const cw_option_spec lines_writer_options[] = {
	INLINE_UNKNOWN,
	{.name = NULL},
};

static const cw_option_spec reader_options[] = {
	{.name = "skip-custom", .type = CW_OPT_BOOL, .default_value = "false",
	 .help = "ignore the CSL \"custom\" object instead of reading crosswalk's fields from it"},
	{.name = NULL},
};

static const char *const json_ext[] = {"json", "csl.json", "csljson", NULL};
static const char *const json_aliases[] = {"csl-json", "csl", "json", NULL};
static const char *const json_mime[] = {"application/vnd.citationstyles.csl+json", NULL};
static const char *const lines_ext[] = {"jsonl", "ndjson", "csl.jsonl", NULL};
static const char *const lines_aliases[] = {"jsonl", "ndjson", "csl-jsonl", NULL};
static const char *const lines_mime[] = {"application/x-ndjson", NULL};

static const cw_format csljson_format = {
    .struct_size = sizeof(cw_format),
    .name = "csljson",
    .description = "CSL-JSON (CSL 1.0.2 items: an array, one item, or JSON Lines)",
    .aliases = json_aliases,
    .extensions = json_ext,
    .mime_types = json_mime,
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .probe = probe_json,
    .reader_options = reader_options,
    .writer_options = writer_options,
    .reader = &csljson_reader,
    .writer = &csljson_writer_array,
    .table = &csljson_table_schema,
};

static const cw_format csljsonl_format = {
    .struct_size = sizeof(cw_format),
    .name = "csljsonl",
    .description = "CSL-JSON Lines (one CSL item per line)",
    .aliases = lines_aliases,
    .extensions = lines_ext,
    .mime_types = lines_mime,
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .probe = probe_lines,
    .reader_options = reader_options,
    .writer_options = lines_writer_options,
    .reader = &csljson_reader,
    .writer = &csljson_writer_lines,
    .table = &csljson_table_schema,
};

static const cw_format *const formats[] = {&csljson_format, &csljsonl_format, NULL};

static const cw_plugin plugin = {
	CW_PLUGIN_HEADER,
	.name = "csljson",
	.version = "0.1.0",
	.description = "CSL-JSON and CSL-JSON Lines reader and writer",
	.license = "MIT",
	.formats = formats,
	.filters = NULL,
};

CW_PLUGIN_DEFINE(csljson, plugin)
