/*
 * The BibTeX/BibLaTeX plugin descriptor: two formats, "bibtex" and
 * "biblatex", sharing one reader (which accepts both dialects); each has its
 * own writer.
 */
#include <string.h>

#include "bibtex.h"

/* Content probe: an '@type{' or '@type(' near the start of a line. */
static int bibtex_probe(const cw_probe_input *in)
{
	const unsigned char *p = in->buf, *end = in->buf + in->size;
	int line_start = 1;
	for (; p < end; p++) {
		unsigned char c = *p;
		if (c == '\n') {
			line_start = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r')
			continue;
		if (c == '@' && line_start) {
			const unsigned char *q = p + 1;
			while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
				q++;
			size_t n = (size_t)(q - p - 1);
			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (n >= 3 && q < end && (*q == '{' || *q == '('))
				return CW_PROBE_LIKELY;
		}
		if (c == '<' || c == '{' || c == '[')
			if (line_start && p == in->buf)
				return CW_PROBE_NONE; /* XML or JSON */
		line_start = 0;
	}
	return CW_PROBE_NONE;
}

static const char *const bibtex_exts[] = {"bib", "bibtex", NULL};
static const char *const bibtex_mime[] = {"application/x-bibtex", "text/x-bibtex", NULL};
static const char *const biblatex_aliases[] = {"bib-latex", NULL};

static const cw_option_spec writer_options[] = {
    {"ascii", CW_OPT_BOOL, "false", NULL,
     "write non-ASCII characters as LaTeX commands (for classic bibtex)"},
    {"keys", CW_OPT_ENUM, "source", "source|auth-year-title|auth-year",
     "citation keys: the source key (generated when there is none), or always generated"},
    {NULL, 0, NULL, NULL, NULL},
};

static const cw_format bibtex_format = {
    .struct_size = sizeof(cw_format),
    .name = "bibtex",
    .description = "BibTeX (reads BibLaTeX too)",
    .aliases = NULL,
    .extensions = bibtex_exts,
    .mime_types = bibtex_mime,
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .probe = bibtex_probe,
    .reader_options = bibtex_reader_options,
    .writer_options = writer_options,
    .reader = &bibtex_reader_ops,
    .writer = &bibtex_writer_ops,
    .table = &bibtex_table_schema,
};

static const cw_format biblatex_format = {
    .struct_size = sizeof(cw_format),
    .name = "biblatex",
    .description = "BibLaTeX (biber); reads BibTeX too",
    .aliases = biblatex_aliases,
    .extensions = NULL,
    .mime_types = NULL,
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .probe = NULL,
    .reader_options = bibtex_reader_options,
    .writer_options = writer_options,
    .reader = &bibtex_reader_ops,
    .writer = &biblatex_writer_ops,
    .table = &bibtex_table_schema,
};

static const cw_format *const formats[] = {&bibtex_format, &biblatex_format, NULL};

static const cw_plugin plugin = {
    CW_PLUGIN_HEADER,   .name = "bibtex",
    .version = "1.0.0", .description = "BibTeX and BibLaTeX reader and writers",
    .license = "MIT",   .formats = formats,
    .filters = NULL,
};

CW_PLUGIN_DEFINE(bibtex, plugin)
