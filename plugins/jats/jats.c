/*
 * The JATS plugin descriptor: the jats format (reader and writer), the
 * content probe, and the small lookup tables the reader and writer share.
 * (The references filter, which the reader hands references to one at a
 * time, is the filters plugin's.)
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jats.h"

static const char *const jats_element_names[JEL_COUNT_] = {NULL,
#define JATS_X_(id, name) name,
                                                           JATS_ELEMENTS(JATS_X_)
#undef JATS_X_
};

static int jats_cmp_name(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

enum jats_el jats_element(const char *name)
{
	if (!name)
		return JEL_UNKNOWN;
	/* an unbound prefix leaves "prefix:local" as the name */
	const char *colon = strchr(name, ':');
	if (colon)
		name = colon + 1;
	const char *const *hit = bsearch(name, jats_element_names + 1, JEL_COUNT_ - 1,
	                                 sizeof jats_element_names[0], jats_cmp_name);
	return hit ? (enum jats_el)(hit - jats_element_names) : JEL_UNKNOWN;
}

const char *jats_element_name(enum jats_el el)
{
	return (el > JEL_UNKNOWN && el < JEL_COUNT_) ? jats_element_names[el] : NULL;
}

/* --- the crosswalk table (formats/jats.yaml) --- */

/* "unknown|abbrev-journal-title|...": the element names, index = enum jats_el */
#define JATS_WORD_(id, name) "|" name
#define JATS_ELEMENT_WORDS ("unknown" JATS_ELEMENTS(JATS_WORD_))

#define DIR_COLUMN                                                                                 \
	CW_TABLE_COLUMN(.name = "dir", .type = CW_CELL_ENUM, .values = "in|out|both",              \
	                .default_value = "both", .help = "in: read only; out: written only")

static const cw_table_column type_columns[] = {
    CW_TABLE_COLUMN(.name = "jats", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE,
                    .help = "the type word (\"*\": any other)"),
    CW_TABLE_COLUMN(.name = "csl", .type = CW_CELL_ITEM_TYPE,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY, .values = "*|infer",
                    .help = "the item type (\"*\": any other; infer: from the elements)"),
    DIR_COLUMN,
    {0},
};

static const cw_table_column inference_columns[] = {
    CW_TABLE_COLUMN(.name = "has", .type = CW_CELL_ENUM, .flags = CW_COLUMN_LIST,
                    .values = JATS_ELEMENT_WORDS, .help = "elements the citation has, all"),
    CW_TABLE_COLUMN(.name = "any", .type = CW_CELL_ENUM, .flags = CW_COLUMN_LIST,
                    .values = JATS_ELEMENT_WORDS, .help = "elements it has at least one of"),
    CW_TABLE_COLUMN(.name = "lacks", .type = CW_CELL_ENUM, .flags = CW_COLUMN_LIST,
                    .values = JATS_ELEMENT_WORDS, .help = "elements it has none of"),
    CW_TABLE_COLUMN(.name = "csl", .type = CW_CELL_ITEM_TYPE, .flags = CW_COLUMN_REQUIRED,
                    .help = "the item type of a citation that fits"),
    {0},
};

static const cw_table_column id_columns[] = {
    CW_TABLE_COLUMN(.name = "jats", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE,
                    .help = "a pub-id-type"),
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD, .flags = CW_COLUMN_REQUIRED,
                    .help = "the field of an identifier of that type"),
    {0},
};

static const cw_table_column pub_date_columns[] = {
    CW_TABLE_COLUMN(.name = "jats", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE,
                    .help = "pub-type or date-type[/publication-format]"),
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD, .kinds = CW_KIND_BIT(CW_KIND_DATE),
                    .help = "the date's field (none: kept as passthrough)"),
    CW_TABLE_COLUMN(.name = "rank", .type = CW_CELL_INT,
                    .help = "which date is the citation date, lowest first (none: never)"),
    {0},
};

/* history-dates and roles: read by the jats column, written by the field column */
static const cw_table_column history_columns[] = {
    CW_TABLE_COLUMN(.name = "jats", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE,
                    .help = "the date-type"),
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY, .kinds = CW_KIND_BIT(CW_KIND_DATE),
                    .help = "the date field; the writer uses the first row of a field"),
    DIR_COLUMN,
    {0},
};

static const cw_table_column role_columns[] = {
    CW_TABLE_COLUMN(.name = "jats", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE,
                    .help = "the contrib-type or person-group-type"),
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .kinds = CW_KIND_BIT(CW_KIND_NAMES),
                    .help = "the names field; the writer uses the first row of a field"),
    DIR_COLUMN,
    {0},
};

static const cw_table_column citation_element_columns[] = {
    CW_TABLE_COLUMN(.name = "jats", .type = CW_CELL_ENUM,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY, .values = JATS_ELEMENT_WORDS,
                    .help = "an element of element-citation or mixed-citation"),
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .kinds = CW_KIND_BIT(CW_KIND_TEXT) | CW_KIND_BIT(CW_KIND_RICH) |
                             CW_KIND_BIT(CW_KIND_NUMBER) | CW_KIND_BIT(CW_KIND_LIST) |
                             CW_KIND_BIT(CW_KIND_RICH_LIST),
                    .help = "the field its text goes to; the writer writes a field as the "
                            "element of its first row"),
    CW_TABLE_COLUMN(.name = "add", .type = CW_CELL_ENUM, .values = "once|replace|item",
                    .default_value = "once",
                    .help = "once: unless the field is set; replace: a later one wins; item: "
                            "one more item, with its xml:lang"),
    CW_TABLE_COLUMN(.name = "noise", .type = CW_CELL_BOOL, .default_value = "no",
                    .help = "yes: xref, fn, label and the like are dropped from the text"),
    CW_TABLE_COLUMN(.name = "type", .help = "add: item: the item's type"),
    {0},
};

static const cw_table_section sections[] = {
    CW_TABLE_SECTION(.name = "article-types", .columns = type_columns),
    CW_TABLE_SECTION(.name = "publication-types", .columns = type_columns),
    CW_TABLE_SECTION(.name = "publication-type-inference", .columns = inference_columns),
    CW_TABLE_SECTION(.name = "ids", .columns = id_columns),
    CW_TABLE_SECTION(.name = "pub-dates", .columns = pub_date_columns),
    CW_TABLE_SECTION(.name = "history-dates", .columns = history_columns),
    CW_TABLE_SECTION(.name = "roles", .columns = role_columns),
    CW_TABLE_SECTION(.name = "citation-elements", .columns = citation_element_columns),
    {0},
};

const cw_table_schema jats_table_schema =
    CW_TABLE_SCHEMA(.name = "jats", .yaml = jats_jats_yaml, .yaml_len = CW_NUL,
                    .yaml_name = "formats/jats.yaml", .sections = sections);

unsigned jats_row_dir(const cw_table *t, size_t section, size_t row)
{
	static const unsigned dirs[] = {JATS_READ, JATS_WRITE, JATS_READ | JATS_WRITE};
	const cw_table_cell *c = cw_table_cell_at(t, section, row, JATS_TY_DIR);
	return c && c->value >= 0 && c->value < 3 ? dirs[c->value] : JATS_READ | JATS_WRITE;
}

/* The first row from row on (a chain of key_col) used in dir that has a val_col cell. */
static size_t first_used(const cw_table *t, size_t section, size_t key_col, size_t row,
                         size_t val_col, enum jats_dir dir)
{
	for (; row != CW_TABLE_NONE; row = cw_table_find_next(t, section, key_col, row))
		if ((jats_row_dir(t, section, row) & dir) &&
		    cw_table_cell_at(t, section, row, val_col)->text)
			return row;
	return CW_TABLE_NONE;
}

const cw_table_cell *jats_table_find(const cw_table *t, size_t section, size_t key_col,
                                     const char *key, size_t val_col, enum jats_dir dir,
                                     int wildcard)
{
	if (!key)
		return NULL;
	size_t hit = first_used(t, section, key_col,
	                        cw_table_find(t, section, key_col, key, CW_NUL), val_col, dir);
	if (wildcard) {
		/* the first of the word's rows and the "*" rows, in table order */
		size_t any = first_used(t, section, key_col,
		                        cw_table_find(t, section, key_col, "*", 1), val_col, dir);
		if (any < hit)
			hit = any;
	}
	return hit == CW_TABLE_NONE ? NULL : cw_table_cell_at(t, section, hit, val_col);
}

int jats_month(const char *s)
{
	if (!s || !*s)
		return 0;
	if (s[0] >= '0' && s[0] <= '9') {
		int v = 0;
		for (const char *p = s; *p; p++) {
			if (*p < '0' || *p > '9' || v > 100)
				return 0;
			v = v * 10 + (*p - '0');
		}
		return (v >= 1 && v <= 12) ? v : 0;
	}
	int m = cw_month_from_name(s, CW_NUL); /* "Feb", "February", "Sept." */
	return m <= 12 ? m : 0;
}

/*
 * Named character entities that JATS files use without declaring them (their
 * DTD declares them, and the DTD is never loaded). Sorted for bsearch.
 */
static const struct jats_entity {
	const char *name;
	const char *utf8;
} jats_entities[] = {
    {"Aacute", "\xc3\x81"},    {"Eacute", "\xc3\x89"},     {"Uuml", "\xc3\x9c"},
    {"aacute", "\xc3\xa1"},    {"acirc", "\xc3\xa2"},      {"agrave", "\xc3\xa0"},
    {"alpha", "\xce\xb1"},     {"atilde", "\xc3\xa3"},     {"auml", "\xc3\xa4"},
    {"beta", "\xce\xb2"},      {"bull", "\xe2\x80\xa2"},   {"ccedil", "\xc3\xa7"},
    {"copy", "\xc2\xa9"},      {"dagger", "\xe2\x80\xa0"}, {"deg", "\xc2\xb0"},
    {"delta", "\xce\xb4"},     {"eacute", "\xc3\xa9"},     {"ecirc", "\xc3\xaa"},
    {"egrave", "\xc3\xa8"},    {"emsp", "\xe2\x80\x83"},   {"ensp", "\xe2\x80\x82"},
    {"euml", "\xc3\xab"},      {"gamma", "\xce\xb3"},      {"hellip", "\xe2\x80\xa6"},
    {"iacute", "\xc3\xad"},    {"iuml", "\xc3\xaf"},       {"laquo", "\xc2\xab"},
    {"ldquo", "\xe2\x80\x9c"}, {"lsquo", "\xe2\x80\x98"},  {"mdash", "\xe2\x80\x94"},
    {"micro", "\xc2\xb5"},     {"middot", "\xc2\xb7"},     {"minus", "\xe2\x88\x92"},
    {"mu", "\xce\xbc"},        {"nbsp", "\xc2\xa0"},       {"ndash", "\xe2\x80\x93"},
    {"ntilde", "\xc3\xb1"},    {"oacute", "\xc3\xb3"},     {"ocirc", "\xc3\xb4"},
    {"ograve", "\xc3\xb2"},    {"otilde", "\xc3\xb5"},     {"ouml", "\xc3\xb6"},
    {"plusmn", "\xc2\xb1"},    {"pound", "\xc2\xa3"},      {"raquo", "\xc2\xbb"},
    {"rdquo", "\xe2\x80\x9d"}, {"reg", "\xc2\xae"},        {"rsquo", "\xe2\x80\x99"},
    {"sect", "\xc2\xa7"},      {"szlig", "\xc3\x9f"},      {"thinsp", "\xe2\x80\x89"},
    {"times", "\xc3\x97"},     {"trade", "\xe2\x84\xa2"},  {"uacute", "\xc3\xba"},
    {"uuml", "\xc3\xbc"},
};

static int jats_cmp_entity(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct jats_entity *)elem)->name);
}

const char *jats_named_entity(const char *name)
{
	if (!name)
		return NULL;
	const struct jats_entity *e =
	    bsearch(name, jats_entities, sizeof jats_entities / sizeof jats_entities[0],
	            sizeof jats_entities[0], jats_cmp_entity);
	return e ? e->utf8 : NULL;
}

/* --- probe --- */

static const unsigned char *jats_find(const unsigned char *buf, size_t size, const char *needle)
{
	size_t n = strlen(needle);
	if (n > size)
		return NULL;
	for (size_t i = 0; i + n <= size; i++)
		if (buf[i] == (unsigned char)needle[0] && memcmp(buf + i, needle, n) == 0)
			return buf + i;
	return NULL;
}

/*
 * CERTAIN: a JATS or NLM DOCTYPE public id, an <article> root carrying
 * dtd-version or a JATS namespace, or an OAI-PMH response whose request
 * names PMC's JATS formats (metadataPrefix pmc or pmc_fm) or whose window
 * shows a JATS namespace. LIKELY: an <article> root or a <pmc-articleset>.
 * Another OAI-PMH response is not ours. Pure: looks only at the bytes.
 */
static int jats_probe(const cw_probe_input *in)
{
	const unsigned char *b = in->buf;
	size_t n = in->size;
	if (jats_find(b, n, "<OAI-PMH") &&
	    jats_find(b, n, "http://www.openarchives.org/OAI/2.0/")) {
		static const char *const jats_marks[] = {
		    "metadataPrefix=\"pmc\"",    "metadataPrefix='pmc'",
		    "metadataPrefix=\"pmc_fm\"", "metadataPrefix='pmc_fm'",
		    "//jats.nlm.nih.gov/ns/",    "//dtd.nlm.nih.gov/"};
		for (size_t i = 0; i < sizeof jats_marks / sizeof jats_marks[0]; i++)
			if (jats_find(b, n, jats_marks[i]))
				return CW_PROBE_CERTAIN;
		return CW_PROBE_NONE;
	}
	if (jats_find(b, n, "-//NLM//DTD") || jats_find(b, n, "//DTD JATS"))
		return CW_PROBE_CERTAIN;
	if (jats_find(b, n, "<pmc-articleset"))
		return CW_PROBE_LIKELY;
	const unsigned char *a = jats_find(b, n, "<article");
	if (a && (a[8] == ' ' || a[8] == '>' || a[8] == '\n' || a[8] == '\r' || a[8] == '\t')) {
		if (jats_find(a, n - (size_t)(a - b), "dtd-version=") ||
		    jats_find(a, n - (size_t)(a - b), "<front"))
			return CW_PROBE_CERTAIN;
		return CW_PROBE_LIKELY;
	}
	return CW_PROBE_NONE;
}

/* --- descriptor --- */

static const char *const jats_aliases[] = {"nlm", "jats-xml", NULL};
static const char *const jats_extensions[] = {"jats.xml", "nxml", "xml", NULL};
static const char *const jats_mime[] = {"application/jats+xml", NULL};

static const cw_option_spec jats_writer_options[] = {
    {"jats-fragment", CW_OPT_ENUM, "auto", "auto|article|ref-list",
     "what to write: auto = one record is an article, several a ref-list; article; ref-list"},
    {"jats-doctype", CW_OPT_BOOL, "true", NULL,
     "write the JATS 1.3 Journal Publishing DOCTYPE in article documents"},
    {NULL, 0, NULL, NULL, NULL}};

static const cw_option_spec jats_reader_options[] = {
    {"parse-citations", CW_OPT_BOOL, "true", NULL,
     "read the text of a reference that is only text (a <mixed-citation> without tagged "
     "parts) into fields, marked as inferred; false keeps the text as the title"},
    {NULL, 0, NULL, NULL, NULL}};

static const cw_format jats_format = {
    .struct_size = sizeof(cw_format),
    .name = "jats",
    .description = "JATS XML (NISO Z39.96 1.0-1.3, NLM 2.x/3.0): articles and reference lists",
    .aliases = jats_aliases,
    .extensions = jats_extensions,
    .mime_types = jats_mime,
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .probe = jats_probe,
    .reader_options = jats_reader_options,
    .writer_options = jats_writer_options,
    .reader = &jats_reader_ops,
    .writer = &jats_writer_ops,
    .table = &jats_table_schema,
};

static const cw_format *const jats_formats[] = {&jats_format, NULL};

static const cw_plugin jats_plugin = {
    CW_PLUGIN_HEADER,
    .name = "jats",
    .version = "1.0.0",
    .description = "JATS articles and reference lists",
    .license = "MIT",
    .formats = jats_formats,
    .filters = NULL,
};

CW_PLUGIN_DEFINE(jats, jats_plugin)
