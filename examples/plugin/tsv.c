/*
 * An out-of-tree crosswalk plugin: writes records as tab-separated values,
 * one line per record (id, type, year, authors, title, container, volume,
 * issue, pages, DOI), for spreadsheets and shell pipelines. It uses only the
 * installed public headers. See docs/plugin-guide.md.
 */
#include <string.h>

#include <crosswalk/crosswalk.h>

/* The fields a line carries; every other field is reported as not carried. */
static const enum cw_field carried[] = {
	CW_FIELD_ID, CW_FIELD_ISSUED, CW_FIELD_AUTHOR, CW_FIELD_TITLE, CW_FIELD_CONTAINER_TITLE,
	CW_FIELD_VOLUME, CW_FIELD_ISSUE, CW_FIELD_PAGE, CW_FIELD_DOI,
};

typedef struct tsv_state {
	cw_ostream *out;
	cw_buf line, cell;
} tsv_state;

/* Appends text as one cell: tabs and newlines would break the row. */
static void put_cell(tsv_state *st, const char *text, int first)
{
	if (!first)
		cw_buf_putc(&st->line, '\t');
	for (const char *p = text ? text : ""; *p; p++)
		cw_buf_putc(&st->line, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

static void put_rich(tsv_state *st, const char *rich)
{
	cw_buf_clear(&st->cell);
	cw_rich_to_plain(&st->cell, rich ? rich : "");
	put_cell(st, cw_buf_str(&st->cell), 0);
}

static int tsv_begin(void *state, cw_session *s, cw_ostream *out)
{
	tsv_state *st = state;
	(void)s;
	st->out = out;
	return cw_ostream_puts(out, "id\ttype\tyear\tauthors\ttitle\tcontainer\tvolume\tissue\tpages\tdoi\n");
}

static int tsv_write(void *state, cw_session *s, const cw_record *rec)
{
	tsv_state *st = state;
	const cw_date *d = cw_record_date(rec, CW_FIELD_ISSUED);
	cw_buf_clear(&st->line);
	put_cell(st, cw_record_text(rec, CW_FIELD_ID), 1);
	put_cell(st, cw_item_type_name(cw_record_type(rec)), 0);
	cw_buf_clear(&st->cell);
	if (d && d->parts)
		cw_buf_printf(&st->cell, "%d", (int)d->year);
	put_cell(st, cw_buf_str(&st->cell), 0);
	cw_buf_clear(&st->cell);
	for (size_t i = 0; i < cw_record_name_count(rec, CW_FIELD_AUTHOR); i++) {
		const cw_name *n = cw_record_name(rec, CW_FIELD_AUTHOR, i);
		cw_buf_append(&st->cell, i ? "; " : "", CW_NUL);
		if (n->flags & CW_NAME_ETAL)
			cw_buf_append(&st->cell, "et al.", CW_NUL);
		else if (n->literal)
			cw_buf_append(&st->cell, n->literal, CW_NUL);
		else
			cw_buf_printf(&st->cell, "%s%s%s", n->family ? n->family : "", n->given ? ", " : "",
			              n->given ? n->given : "");
	}
	put_cell(st, cw_buf_str(&st->cell), 0);
	put_rich(st, cw_record_text(rec, CW_FIELD_TITLE));
	put_rich(st, cw_record_text(rec, CW_FIELD_CONTAINER_TITLE));
	put_cell(st, cw_record_text(rec, CW_FIELD_VOLUME), 0);
	put_cell(st, cw_record_text(rec, CW_FIELD_ISSUE), 0);
	put_cell(st, cw_record_text(rec, CW_FIELD_PAGE), 0);
	put_cell(st, cw_record_text(rec, CW_FIELD_DOI), 0);
	cw_buf_putc(&st->line, '\n');
	cw_diag_uncarried(s, rec, carried, sizeof carried / sizeof carried[0]);
	cw_diag_uncarried_passthrough(s, rec, NULL);
	return cw_ostream_write(st->out, st->line.data, st->line.len);
}

static int tsv_end(void *state, cw_session *s)
{
	(void)state;
	(void)s;
	return CW_OK;
}

static void tsv_close(void *state, cw_session *s)
{
	tsv_state *st = state;
	(void)s;
	cw_buf_free(&st->line);
	cw_buf_free(&st->cell);
}

static const cw_writer_ops tsv_writer = {
	.struct_size = sizeof(cw_writer_ops),
	.state_size = sizeof(tsv_state),
	.begin = tsv_begin,
	.write = tsv_write,
	.end = tsv_end,
	.close = tsv_close,
};

static const char *const tsv_extensions[] = {"tsv", NULL};

static const cw_format tsv_format = {
	.struct_size = sizeof(cw_format),
	.name = "tsv",
	.description = "Tab-separated summary, one record per line (write only)",
	.extensions = tsv_extensions,
	.caps = CW_CAN_WRITE,
	.writer = &tsv_writer,
};

static const cw_format *const formats[] = {&tsv_format, NULL};

static const cw_plugin plugin = {
	CW_PLUGIN_HEADER,
	.name = "tsv",
	.version = "1.0.0",
	.description = "Example out-of-tree plugin: a TSV summary writer",
	.license = "MIT",
	.formats = formats,
};

CW_PLUGIN_DEFINE(tsv, plugin)
