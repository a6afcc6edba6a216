/*
 * An out-of-tree crosswalk plugin: RIS, the tagged format reference
 * managers (EndNote, Zotero, Mendeley, RefWorks) import and export. It reads
 * and writes a real subset - TY/ER, AU/A1-A4, TI/T1/T2/JO/JF/JA, PY/Y1/DA,
 * VL, IS, SP/EP, SN, DO, UR, AB, KW, PB, CY - keeps every other tag so that
 * RIS to RIS loses nothing, and shows the helpers the core has for plugin
 * authors: lines with one line of push-back and their positions
 * (cw_istream_read_line), names (cw_name_parse), dates (cw_date_parse),
 * month names. Built against the installed headers and CMake package only;
 * see docs/plugin-guide.md.
 *
 * A record:
 *
 *     TY  - JOUR
 *     AU  - Laumulin, Murat
 *     TI  - Kazakhstan and Russia
 *     PY  - 2008
 *     DA  - 2008/02/29/
 *     ER  -
 */
#include <string.h>

#include <crosswalk/crosswalk.h>

/* --- the mapping ---------------------------------------------------------- */

/* RIS types and CSL's; the first row of a CSL type is the one written. */
static const struct ris_type {
	const char *ris, *csl;
} ris_types[] = {
    {"JOUR", "article-journal"},
    {"JFULL", "article-journal"},
    {"MGZN", "article-magazine"},
    {"NEWS", "article-newspaper"},
    {"BOOK", "book"},
    {"EDBOOK", "book"},
    {"CHAP", "chapter"},
    {"CONF", "paper-conference"},
    {"CPAPER", "paper-conference"},
    {"THES", "thesis"},
    {"RPRT", "report"},
    {"ELEC", "webpage"},
    {"DATA", "dataset"},
    {"COMP", "software"},
    {"PAT", "patent"},
    {"GEN", "document"},
};

/* What a tag does; tags of one field are in the order a writer prefers them. */
enum ris_action {
	RIS_TEXT,      /* the field, once; a second value is kept as the tag */
	RIS_NAME,      /* a name added to the field */
	RIS_CONTAINER, /* the container's title (JO: its short title when that is taken) */
	RIS_DATE,      /* part of the issued date */
	RIS_PAGE,      /* start or end page */
	RIS_SERIAL,    /* ISSN or ISBN, by its form */
	RIS_KEYWORD    /* one keyword */
};

static const struct ris_tag {
	char tag[3];
	enum ris_action action;
	enum cw_field field;
} ris_tags[] = {
    {"AU", RIS_NAME, CW_FIELD_AUTHOR},
    {"A1", RIS_NAME, CW_FIELD_AUTHOR},
    {"A2", RIS_NAME, CW_FIELD_EDITOR},
    {"A3", RIS_NAME, CW_FIELD_COLLECTION_EDITOR},
    {"A4", RIS_NAME, CW_FIELD_TRANSLATOR},
    {"TI", RIS_TEXT, CW_FIELD_TITLE},
    {"T1", RIS_TEXT, CW_FIELD_TITLE},
    {"T2", RIS_CONTAINER, CW_FIELD_CONTAINER_TITLE},
    {"JF", RIS_CONTAINER, CW_FIELD_CONTAINER_TITLE},
    {"JO", RIS_CONTAINER, CW_FIELD_CONTAINER_TITLE},
    {"JA", RIS_TEXT, CW_FIELD_CONTAINER_TITLE_SHORT},
    {"PY", RIS_DATE, CW_FIELD_ISSUED},
    {"Y1", RIS_DATE, CW_FIELD_ISSUED},
    {"DA", RIS_DATE, CW_FIELD_ISSUED},
    {"VL", RIS_TEXT, CW_FIELD_VOLUME},
    {"IS", RIS_TEXT, CW_FIELD_ISSUE},
    {"SP", RIS_PAGE, CW_FIELD_PAGE},
    {"EP", RIS_PAGE, CW_FIELD_PAGE},
    {"SN", RIS_SERIAL, CW_FIELD_ISSN},
    {"DO", RIS_TEXT, CW_FIELD_DOI},
    {"UR", RIS_TEXT, CW_FIELD_URL},
    {"AB", RIS_TEXT, CW_FIELD_ABSTRACT},
    {"KW", RIS_KEYWORD, CW_FIELD_KEYWORDS},
    {"PB", RIS_TEXT, CW_FIELD_PUBLISHER},
    {"CY", RIS_TEXT, CW_FIELD_PUBLISHER_PLACE},
};

static const struct ris_tag *find_tag(const char *tag)
{
	for (size_t i = 0; i < sizeof ris_tags / sizeof ris_tags[0]; i++)
		if (memcmp(ris_tags[i].tag, tag, 2) == 0)
			return &ris_tags[i];
	return NULL;
}

/* A tag line: "TY  - JOUR", "ER  -", also with one space before the dash. */
static int tag_line(const char *p, size_t n, char tag[3], const char **value, size_t *vlen)
{
	if (n < 4 || !(p[0] >= 'A' && p[0] <= 'Z') ||
	    !((p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= '0' && p[1] <= '9')) || p[2] != ' ')
		return 0;
	size_t i = 3;
	if (p[i] == ' ')
		i++;
	if (i >= n || p[i] != '-' || (i + 1 < n && p[i + 1] != ' '))
		return 0;
	i += 1 + (i + 1 < n);
	while (n > i && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	tag[0] = p[0], tag[1] = p[1], tag[2] = '\0';
	*value = p + i;
	*vlen = n - i;
	return 1;
}

/* --- probe ------------------------------------------------------------------ */

static int ris_probe(const cw_probe_input *in)
{
	const char *p = (const char *)in->buf, *end = p + in->size;
	if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'))
		p++;
	char tag[3];
	const char *v;
	size_t vn;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = (size_t)((nl ? nl : end) - p);
	if (n && p[n - 1] == '\r')
		n--;
	if (tag_line(p, n, tag, &v, &vn) && strcmp(tag, "TY") == 0 && vn >= 2)
		return CW_PROBE_LIKELY; /* RIS begins with its type */
	return 0;
}

/* --- reader ------------------------------------------------------------------ */

static const cw_option_spec ris_reader_options[] = {
    {.name = "keep-unknown",
     .type = CW_OPT_BOOL,
     .default_value = "true",
     .help = "keep tags outside the subset as RIS fields (a RIS writer writes them back)"},
    {.name = "date-order",
     .type = CW_OPT_ENUM,
     .default_value = "day-first",
     .choices = "day-first|month-first",
     .help = "how to read an all-numeric date such as 05/11/2010"},
    {.name = NULL},
};

typedef struct ris_reader {
	cw_istream *in;
	const cw_limits *lim;
	int keep_unknown;
	unsigned date_flags;
	/* the record being read */
	cw_record *rec;
	uint32_t rec_line;
	uint64_t rec_bytes;
	char tag[3]; /* the tag whose value is being collected; "" none */
	uint32_t tag_line, tag_col;
	cw_buf value, store, why;
	cw_buf first_page, last_page;
	cw_date year, date; /* PY/Y1 and DA */
	int have_year, have_date;
	int outside_reported; /* a run of lines outside records was reported */
} ris_reader;

static int ris_open(void *state, cw_session *s, cw_istream *in)
{
	ris_reader *r = state;
	r->in = in;
	r->lim = cw_session_limits(s);
	r->keep_unknown = cw_session_option_bool(s, "keep-unknown", 1);
	const char *order = cw_session_option(s, "date-order");
	if (order && strcmp(order, "month-first") == 0)
		r->date_flags = CW_DATE_PARSE_MONTH_FIRST;
	return CW_OK;
}

static int keep(ris_reader *r, const char *tag, const char *v, size_t n)
{
	return cw_record_add_passthrough(r->rec, "ris", tag, v, n) < 0 ? CW_ENOMEM : CW_OK;
}

/* A warning about the tag being read, at its line. */
static void warn(ris_reader *r, cw_session *s, const char *what)
{
	cw_diag_emit(s, CW_SEV_WARNING, CW_OK, r->tag_line, r->tag_col, "%s: %s", r->tag, what);
}

static int blank(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	return n == 0;
}

/* A date tag: kept aside until the record ends, PY's year and DA's date. */
static int read_date(ris_reader *r, cw_session *s, const char *v, size_t n)
{
	int is_da = strcmp(r->tag, "DA") == 0;
	cw_date d = CW_DATE_INIT;
	cw_buf_clear(&r->why);
	if (cw_date_parse(&d, v, n, r->date_flags, &r->why) != CW_OK) {
		if (r->why.len)
			cw_diag_emit(s, CW_SEV_WARNING, CW_OK, r->tag_line, r->tag_col,
			             "%s '%.*s': %s; kept as the tag", r->tag, (int)n, v,
			             r->why.data);
		return keep(r, r->tag, v, n);
	}
	if (is_da ? r->have_date : r->have_year)
		return keep(r, r->tag, v, n); /* a second PY or DA */
	*(is_da ? &r->date : &r->year) = d;
	*(is_da ? &r->have_date : &r->have_year) = 1;
	return CW_OK;
}

/* The tag collected so far, now that its value is complete. */
static int flush(ris_reader *r, cw_session *s)
{
	if (!r->tag[0])
		return CW_OK;
	const char *v = cw_buf_str(&r->value);
	size_t n = r->value.len;
	const struct ris_tag *t = find_tag(r->tag);
	int rc = CW_OK;
	r->tag[2] = '\0';
	if (!n) {
		/* an empty tag says nothing */
	} else if (!t) {
		if (r->keep_unknown)
			rc = keep(r, r->tag, v, n);
		else
			warn(r, s, "dropped (keep-unknown=false)");
	} else {
		switch (t->action) {
		case RIS_TEXT:
		case RIS_CONTAINER: {
			enum cw_field f = t->field;
			if (t->action == RIS_CONTAINER && strcmp(r->tag, "JO") == 0 &&
			    cw_record_has(r->rec, f))
				f = CW_FIELD_CONTAINER_TITLE_SHORT;
			if (f == CW_FIELD_DOI && n > 16 && strncmp(v, "https://doi.org/", 16) == 0)
				v += 16, n -= 16;
			rc = cw_record_has(r->rec, f) ? keep(r, r->tag, v, n)
			                              : cw_record_set_text(r->rec, f, v, n);
			break;
		}
		case RIS_NAME: {
			if (cw_record_name_count(r->rec, t->field) >= r->lim->max_names) {
				warn(r, s, "more names than the names limit; the rest are dropped");
				break;
			}
			cw_name nm = CW_NAME_INIT;
			cw_buf_clear(&r->store);
			rc = cw_name_parse(&nm, &r->store, v, n, CW_NAME_PARSE_ORGS, NULL);
			if (rc == CW_OK)
				rc = cw_record_add_name(r->rec, t->field, &nm);
			else if (rc == CW_EFORMAT)
				rc = keep(r, r->tag, v, n); /* "," and the like */
			break;
		}
		case RIS_DATE:
			rc = read_date(r, s, v, n);
			break;
		case RIS_PAGE: {
			cw_buf *b = strcmp(r->tag, "SP") == 0 ? &r->first_page : &r->last_page;
			if (b->len)
				rc = keep(r, r->tag, v, n);
			else
				rc = cw_buf_append(b, v, n);
			break;
		}
		case RIS_SERIAL: {
			/* "1234-567X" is an ISSN, anything else an ISBN */
			int issn = n == 9 && v[4] == '-';
			for (size_t i = 0; issn && i < 9; i++)
				issn = i == 4 || (v[i] >= '0' && v[i] <= '9') ||
				       (i == 8 && v[i] == 'X');
			enum cw_field f = issn ? CW_FIELD_ISSN : CW_FIELD_ISBN;
			rc = cw_record_has(r->rec, f) ? keep(r, r->tag, v, n)
			                              : cw_record_set_text(r->rec, f, v, n);
			break;
		}
		case RIS_KEYWORD: {
			cw_item it = CW_ITEM_INIT;
			cw_buf_clear(&r->store);
			rc = cw_buf_append(&r->store, v, n);
			it.value = cw_buf_str(&r->store);
			if (rc == CW_OK)
				rc = cw_record_add_item(r->rec, CW_FIELD_KEYWORDS, &it);
			break;
		}
		}
	}
	r->tag[0] = '\0';
	cw_buf_clear(&r->value);
	return rc < 0 ? rc : CW_OK;
}

/* Ends the record: pages and the date are put together from their tags. */
static int finish(ris_reader *r, cw_session *s, cw_record **out)
{
	int rc = flush(r, s);
	if (rc == CW_OK && (r->first_page.len || r->last_page.len)) {
		cw_buf_clear(&r->store);
		cw_buf_append(&r->store, cw_buf_str(&r->first_page), r->first_page.len);
		if (r->first_page.len && r->last_page.len)
			cw_buf_putc(&r->store, '-');
		cw_buf_append(&r->store, cw_buf_str(&r->last_page), r->last_page.len);
		rc = cw_record_set_text(r->rec, CW_FIELD_PAGE, r->store.data, r->store.len);
	}
	/* DA is the date; PY its year, which DA must agree with */
	if (rc >= 0 && (r->have_year || r->have_date)) {
		const cw_date *d = r->have_date ? &r->date : &r->year;
		if (r->have_year && r->have_date &&
		    (r->year.year != r->date.year || !r->date.parts))
			cw_diag_emit(s, CW_SEV_WARNING, CW_OK, r->rec_line, 0,
			             "PY %ld and DA %ld disagree; DA is taken", (long)r->year.year,
			             (long)r->date.year);
		rc = cw_record_set_date(r->rec, CW_FIELD_ISSUED, d);
	}
	if (rc < 0) {
		cw_record_free(r->rec);
		r->rec = NULL;
		return rc;
	}
	*out = r->rec;
	r->rec = NULL;
	return CW_OK;
}

static int start(ris_reader *r, cw_session *s, const char *type, size_t n, uint32_t line)
{
	int rc = cw_record_new(&r->rec);
	if (rc)
		return rc;
	r->rec_line = line;
	r->rec_bytes = 0;
	r->have_year = r->have_date = 0;
	cw_buf_clear(&r->first_page);
	cw_buf_clear(&r->last_page);
	cw_record_set_origin(r->rec, line, 1);
	cw_session_set_line(s, line);
	for (size_t i = 0; i < sizeof ris_types / sizeof ris_types[0]; i++)
		if (strlen(ris_types[i].ris) == n && memcmp(ris_types[i].ris, type, n) == 0)
			return cw_record_set_type(r->rec,
			                          cw_item_type_from_name(ris_types[i].csl, CW_NUL));
	/* a type outside the table: a document, and the tag for a RIS writer */
	rc = cw_record_set_type(r->rec, cw_item_type_from_name("document", CW_NUL));
	return rc < 0 ? rc : keep(r, "TY", type, n);
}

static int ris_next(void *state, cw_session *s, cw_record **out)
{
	ris_reader *r = state;
	*out = NULL;
	for (;;) {
		uint32_t line, col;
		cw_istream_position(r->in, &line, &col);
		const char *p, *v;
		size_t n, vn;
		char tag[3];
		int rc = cw_istream_read_line(r->in, r->lim->max_field_bytes, &p, &n);
		if (rc == CW_EOF) {
			if (!r->rec)
				return CW_EOF;
			cw_diag_emit(s, CW_SEV_WARNING, CW_OK, r->rec_line, 1,
			             "the record has no ER at the end of the input");
			return finish(r, s, out);
		}
		if (rc == CW_ELIMIT)
			return cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_FIELD_BYTES, line, col,
			                              "a line longer than");
		if (rc)
			return cw_diag_emit(s, CW_SEV_ERROR, rc, line, col,
			                    "cannot read the input: %s", cw_status_str(rc));
		int is_tag = tag_line(p, n, tag, &v, &vn);
		if (r->rec && (r->rec_bytes += n + 1) > r->lim->max_record_bytes)
			return cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_RECORD_BYTES,
			                              r->rec_line, 1, "a record larger than");
		if (!r->rec) {
			if (is_tag && strcmp(tag, "TY") == 0) {
				r->outside_reported = 0;
				if ((rc = start(r, s, v, vn, line)) < 0)
					return rc;
			} else if (!blank(p, n) && !r->outside_reported) {
				cw_diag_emit(s, CW_SEV_WARNING, CW_OK, line, 1,
				             "text outside a record (before TY) ignored");
				r->outside_reported = 1;
			}
			continue;
		}
		if (!is_tag) {
			/* a wrapped value goes on; blank lines inside a record are nothing */
			while (n && (*p == ' ' || *p == '\t'))
				p++, n--;
			if (n && r->tag[0]) {
				if (r->value.len + 1 + n > r->lim->max_field_bytes)
					return cw_session_limit_error(s, CW_ELIMIT,
					                              CW_LIMIT_FIELD_BYTES, line,
					                              col, "a value longer than");
				cw_buf_putc(&r->value, ' ');
				cw_buf_append(&r->value, p, n);
			}
			continue;
		}
		if ((rc = flush(r, s)) < 0)
			return rc;
		if (strcmp(tag, "ER") == 0)
			return finish(r, s, out);
		if (strcmp(tag, "TY") == 0) {
			/* the next record began: this one ends here, and the line is read again */
			cw_diag_emit(s, CW_SEV_WARNING, CW_OK, r->rec_line, 1,
			             "the record has no ER before the next TY (line %lu)",
			             (unsigned long)line);
			cw_istream_unread_line(r->in);
			return finish(r, s, out);
		}
		memcpy(r->tag, tag, 3);
		r->tag_line = line;
		r->tag_col = 7;
		if (cw_buf_append(&r->value, v, vn))
			return CW_ENOMEM;
	}
}

static void ris_close(void *state, cw_session *s)
{
	ris_reader *r = state;
	(void)s;
	cw_record_free(r->rec);
	cw_buf_free(&r->value);
	cw_buf_free(&r->store);
	cw_buf_free(&r->why);
	cw_buf_free(&r->first_page);
	cw_buf_free(&r->last_page);
}

static const cw_reader_ops ris_reader_ops = {
    .struct_size = sizeof(cw_reader_ops),
    .state_size = sizeof(ris_reader),
    .open = ris_open,
    .next = ris_next,
    .close = ris_close,
};

/* --- writer ------------------------------------------------------------------ */

static const enum cw_field carried[] = {
    CW_FIELD_AUTHOR,
    CW_FIELD_EDITOR,
    CW_FIELD_COLLECTION_EDITOR,
    CW_FIELD_TRANSLATOR,
    CW_FIELD_TITLE,
    CW_FIELD_CONTAINER_TITLE,
    CW_FIELD_CONTAINER_TITLE_SHORT,
    CW_FIELD_ISSUED,
    CW_FIELD_VOLUME,
    CW_FIELD_ISSUE,
    CW_FIELD_PAGE,
    CW_FIELD_ISSN,
    CW_FIELD_ISBN,
    CW_FIELD_DOI,
    CW_FIELD_URL,
    CW_FIELD_ABSTRACT,
    CW_FIELD_KEYWORDS,
    CW_FIELD_PUBLISHER,
    CW_FIELD_PUBLISHER_PLACE,
};

typedef struct ris_writer {
	cw_ostream *out;
	cw_buf line, text;
} ris_writer;

static int ris_begin(void *state, cw_session *s, cw_ostream *out)
{
	ris_writer *w = state;
	(void)s;
	w->out = out;
	return CW_OK;
}

/* "TAG  - value" with the value on one line. */
static void put(ris_writer *w, const char *tag, const char *v)
{
	if (!v || !*v)
		return;
	cw_buf_append(&w->line, tag, 2);
	cw_buf_append(&w->line, "  - ", 4);
	for (; *v; v++)
		cw_buf_putc(&w->line, *v == '\n' || *v == '\r' ? ' ' : *v);
	cw_buf_putc(&w->line, '\n');
}

static void put_rich(ris_writer *w, const char *tag, const char *rich)
{
	if (!rich)
		return;
	cw_buf_clear(&w->text);
	cw_rich_to_plain(&w->text, rich);
	put(w, tag, cw_buf_str(&w->text));
}

static void put_names(ris_writer *w, const cw_record *rec, enum cw_field f, const char *tag)
{
	for (size_t i = 0; i < cw_record_name_count(rec, f); i++) {
		const cw_name *n = cw_record_name(rec, f, i);
		cw_buf *b = &w->text;
		cw_buf_clear(b);
		if (n->literal) {
			cw_buf_append(b, n->literal, CW_NUL);
		} else if (!(n->flags & CW_NAME_ETAL)) {
			/* "von Family, Given, Suffix" */
			const char *particle = n->non_dropping_particle ? n->non_dropping_particle
			                                                : n->dropping_particle;
			if (particle)
				cw_buf_printf(b, "%s ", particle);
			cw_buf_append(b, n->family ? n->family : "", CW_NUL);
			if (n->given || n->suffix)
				cw_buf_printf(b, ", %s", n->given ? n->given : "");
			if (n->suffix)
				cw_buf_printf(b, ", %s", n->suffix);
		}
		put(w, tag, cw_buf_str(b));
	}
}

static int ris_write(void *state, cw_session *s, const cw_record *rec)
{
	ris_writer *w = state;
	cw_buf_clear(&w->line);
	const char *type = NULL;
	const cw_passthrough *ty = cw_record_find_passthrough(rec, "ris", "TY");
	const char *csl = cw_item_type_name(cw_record_type(rec));
	for (size_t i = 0; csl && !type && i < sizeof ris_types / sizeof ris_types[0]; i++)
		if (strcmp(ris_types[i].csl, csl) == 0)
			type = ris_types[i].ris;
	if (ty && (!type || strcmp(type, "GEN") == 0))
		type = ty->value;
	put(w, "TY", type ? type : "GEN");
	put_names(w, rec, CW_FIELD_AUTHOR, "AU");
	put_names(w, rec, CW_FIELD_EDITOR, "A2");
	put_names(w, rec, CW_FIELD_COLLECTION_EDITOR, "A3");
	put_names(w, rec, CW_FIELD_TRANSLATOR, "A4");
	put_rich(w, "TI", cw_record_text(rec, CW_FIELD_TITLE));
	put_rich(w, "T2", cw_record_text(rec, CW_FIELD_CONTAINER_TITLE));
	put_rich(w, "JA", cw_record_text(rec, CW_FIELD_CONTAINER_TITLE_SHORT));
	const cw_date *d = cw_record_date(rec, CW_FIELD_ISSUED);
	if (d && d->parts) {
		cw_buf_clear(&w->text);
		cw_buf_printf(&w->text, "%04ld", (long)d->year);
		int years = d->parts == 1 && d->end_parts == 1 && !d->flags; /* "2010-2012" */
		if (years)
			cw_buf_printf(&w->text, "-%04ld", (long)d->end_year);
		put(w, "PY", cw_buf_str(&w->text));
		cw_buf_clear(&w->text);
		cw_buf_printf(&w->text, "%04ld", (long)d->year);
		/* DA: "2008/02/29/", "2008/02//", "2008///Spring" */
		if (d->parts >= 2 && d->month > 12)
			cw_buf_printf(&w->text, "///%s", cw_month_name(d->month, 0));
		else if (d->parts >= 2)
			cw_buf_printf(&w->text, "/%02ld/", (long)d->month);
		if (d->parts >= 3)
			cw_buf_printf(&w->text, "%02ld", (long)d->day);
		if (d->parts >= 2 && d->month <= 12)
			cw_buf_putc(&w->text, '/');
		if (d->parts >= 2)
			put(w, "DA", cw_buf_str(&w->text));
		if ((d->end_parts && !years) || d->flags)
			cw_diag_not_carried(
			    s, rec, CW_FIELD_ISSUED,
			    "only the start of a range or approximate date is written");
	} else if (d) {
		cw_diag_not_carried(s, rec, CW_FIELD_ISSUED, "a date without a year");
	}
	put(w, "VL", cw_record_text(rec, CW_FIELD_VOLUME));
	put(w, "IS", cw_record_text(rec, CW_FIELD_ISSUE));
	const char *page = cw_record_text(rec, CW_FIELD_PAGE);
	if (page) {
		/* "112-124", "112–124": SP and EP */
		const char *dash = strstr(page, "\xE2\x80\x93");
		size_t dl = 3;
		if (!dash) {
			dash = strchr(page, '-');
			dl = 1;
		}
		cw_buf_clear(&w->text);
		cw_buf_append(&w->text, page, dash ? (size_t)(dash - page) : CW_NUL);
		put(w, "SP", cw_buf_str(&w->text));
		if (dash)
			put(w, "EP", dash + dl);
	}
	put(w, "SN", cw_record_text(rec, CW_FIELD_ISSN));
	put(w, "SN", cw_record_text(rec, CW_FIELD_ISBN));
	put(w, "DO", cw_record_text(rec, CW_FIELD_DOI));
	put(w, "UR", cw_record_text(rec, CW_FIELD_URL));
	put_rich(w, "AB", cw_record_text(rec, CW_FIELD_ABSTRACT));
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_KEYWORDS); i++)
		put(w, "KW", cw_record_item(rec, CW_FIELD_KEYWORDS, i)->value);
	put(w, "PB", cw_record_text(rec, CW_FIELD_PUBLISHER));
	put(w, "CY", cw_record_text(rec, CW_FIELD_PUBLISHER_PLACE));
	/* the tags a RIS reader kept */
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++) {
		const cw_passthrough *pt = cw_record_passthrough(rec, i);
		if (strcmp(pt->format, "ris") == 0 && strlen(pt->name) == 2 && pt != ty)
			put(w, pt->name, pt->value);
	}
	cw_buf_append(&w->line, "ER  - \n\n", CW_NUL);
	cw_diag_uncarried(s, rec, carried, sizeof carried / sizeof carried[0]);
	cw_diag_uncarried_passthrough(s, rec, "ris");
	return cw_ostream_write(w->out, w->line.data, w->line.len);
}

static int ris_end(void *state, cw_session *s)
{
	(void)state;
	(void)s;
	return CW_OK;
}

static void ris_writer_close(void *state, cw_session *s)
{
	ris_writer *w = state;
	(void)s;
	cw_buf_free(&w->line);
	cw_buf_free(&w->text);
}

static const cw_writer_ops ris_writer_ops = {
    .struct_size = sizeof(cw_writer_ops),
    .state_size = sizeof(ris_writer),
    .begin = ris_begin,
    .write = ris_write,
    .end = ris_end,
    .close = ris_writer_close,
};

/* --- the plugin ------------------------------------------------------------------ */

static const cw_format ris_format = {
    .struct_size = sizeof(cw_format),
    .name = "ris",
    .description = "RIS tagged format (a subset)",
    .aliases = (const char *const[]){"refman", NULL},
    .extensions = (const char *const[]){"ris", NULL},
    .mime_types = (const char *const[]){"application/x-research-info-systems", NULL},
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .probe = ris_probe,
    .reader_options = ris_reader_options,
    .writer_options = NULL,
    .reader = &ris_reader_ops,
    .writer = &ris_writer_ops,
};

static const cw_format *const ris_formats[] = {&ris_format, NULL};

static const cw_plugin ris_plugin = {
    CW_PLUGIN_HEADER,   .name = "ris",
    .version = "1.0.0", .description = "RIS reader and writer (example plugin)",
    .license = "MIT",   .formats = ris_formats,
    .filters = NULL,
};

CW_PLUGIN_DEFINE(ris, ris_plugin)
