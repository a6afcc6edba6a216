/*
 * The parse-citations filter: reads the reference text of every record, and
 * of every child record (an article's references), that has nothing but
 * such a text into fields, with the core's citation parser
 * (crosswalk/citation.h). Which records and which field is the parser's
 * rule (cw_citation_source): an original citation (a JATS mixed citation
 * without elements, a citation_reference meta tag, CSL-JSON's
 * custom.original-citation) on a record without author, editor, title,
 * container or date; or a note that is a record's only field (a BibTeX
 * entry or CSL-JSON item with only a note). Other records pass unchanged.
 *
 * A record whose title is only its own citation text, the stand-in that a
 * reader sets so that a processor prints something (the JATS reader's
 * untagged mixed citations when it does not parse them), is read as if it
 * had no title: the text then gives the real one.
 *
 * It takes no children apart, so it runs the same before the references
 * filter (it sees each article whole, references inside) and after it (it
 * sees each reference as a record).
 */
#include <string.h>

#include <crosswalk/citation.h>
#include <crosswalk/crosswalk.h>

#include "filters.h"

static const cw_option_spec pc_options[] = {
    {"notes", CW_OPT_BOOL, "true", NULL,
     "also parse a record whose only field is a note (a BibTeX entry or CSL-JSON item with "
     "only a note)"},
    {NULL, 0, NULL, NULL, NULL}};

typedef struct pc_state {
	int notes;
} pc_state;

static int pc_open(void *state, cw_session *s)
{
	pc_state *st = state;
	st->notes = cw_session_option_bool(s, "notes", 1);
	return CW_OK;
}

static int pc_is_punct(char c)
{
	return c == ' ' || c == '.' || c == ',' || c == ';' || c == ':';
}

/*
 * 1 when rec's title is its citation text standing in for a title: rec has
 * no other content field the parser would respect, and the title is the
 * start of the text (readers leave out tagged links and trailing stops).
 */
static int pc_stand_in_title(const cw_record *rec)
{
	static const enum cw_field others[] = {CW_FIELD_AUTHOR, CW_FIELD_EDITOR,
	                                       CW_FIELD_CONTAINER_TITLE, CW_FIELD_ISSUED};
	const char *orig = cw_record_text(rec, CW_FIELD_ORIGINAL_CITATION);
	if (!orig || !cw_record_has(rec, CW_FIELD_TITLE))
		return 0;
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		if (cw_record_has(rec, others[i]))
			return 0;
	cw_buf t = CW_BUF_INIT, o = CW_BUF_INIT, j = CW_BUF_INIT;
	int stand_in = 0;
	if (cw_record_joined_title(rec, CW_FIELD_TITLE, &j) == CW_OK &&
	    cw_rich_to_plain(&t, cw_buf_str(&j)) == CW_OK && cw_rich_to_plain(&o, orig) == CW_OK) {
		const char *tp = cw_buf_str(&t), *op = cw_buf_str(&o);
		size_t tn = t.len;
		while (*op && pc_is_punct(*op))
			op++;
		while (tn && pc_is_punct(tp[tn - 1]))
			tn--;
		size_t on = strlen(op);
		stand_in = tn && 2 * tn >= on && strncmp(tp, op, tn) == 0;
	}
	cw_buf_free(&t);
	cw_buf_free(&o);
	cw_buf_free(&j);
	return stand_in;
}

/* Parses one record when it has only a reference text. */
static int pc_parse_one(pc_state *st, cw_session *s, cw_record *rec)
{
	int rc = CW_OK;
	cw_buf stand_in = CW_BUF_INIT; /* the title the parse replaces, back if it reads nothing */
	if (pc_stand_in_title(rec)) {
		cw_buf_append(&stand_in, cw_record_text(rec, CW_FIELD_TITLE), CW_NUL);
		rc = cw_buf_error(&stand_in) ? CW_ENOMEM : cw_record_clear(rec, CW_FIELD_TITLE);
	}
	enum cw_field from = cw_citation_source(rec);
	if (from == CW_FIELD_NOTE && !st->notes)
		from = CW_FIELD_NONE;
	size_t marks = cw_record_passthrough_count(rec);
	/* "document" is what readers say of a text they could not type: the parse may */
	int generic = from != CW_FIELD_NONE && cw_record_type(rec) == CW_TYPE_DOCUMENT;
	if (generic && rc >= 0)
		rc = cw_record_set_type(rec, CW_TYPE_UNSET);
	if (rc >= 0 && from != CW_FIELD_NONE)
		rc = cw_citation_parse(s, rec, from, 0);
	/* nothing recognised (no mark added): the record stays as it came */
	if (rc >= 0 && stand_in.len && cw_record_passthrough_count(rec) == marks)
		rc = cw_record_set_text(rec, CW_FIELD_TITLE, stand_in.data, stand_in.len);
	cw_buf_free(&stand_in);
	if (rc >= 0 && generic && cw_record_type(rec) == CW_TYPE_UNSET)
		rc = cw_record_set_type(rec, CW_TYPE_DOCUMENT);
	return rc < 0 ? rc : CW_OK;
}

/* Parses rec's children in place: taken out, parsed, and adopted back in order. */
static int pc_parse_children(pc_state *st, cw_session *s, cw_record *rec)
{
	if (!cw_record_child_count(rec))
		return CW_OK;
	cw_record **kids = NULL;
	size_t n = 0;
	int rc = cw_record_take_children(rec, &kids, &n);
	if (rc < 0)
		return rc;
	size_t i = 0;
	for (; i < n && rc >= 0; i++) {
		rc = pc_parse_one(st, s, kids[i]);
		if (rc >= 0)
			rc = cw_record_adopt_child(rec, kids[i]);
		else
			cw_record_free(kids[i]);
		kids[i] = NULL;
	}
	for (; i < n; i++)
		cw_record_free(kids[i]);
	cw_free(kids);
	return rc;
}

static int pc_apply(void *state, cw_session *s, cw_record *rec, cw_emit *out)
{
	pc_state *st = state;
	int rc = pc_parse_children(st, s, rec);
	if (rc >= 0)
		rc = pc_parse_one(st, s, rec);
	if (rc < 0) {
		cw_record_free(rec);
		return rc;
	}
	return cw_emit_record(out, rec);
}

const cw_filter filters_parse_citations = {
    .struct_size = sizeof(cw_filter),
    .name = "parse-citations",
    .description = "read each record's reference text (an original citation, a lone note) into "
                   "fields, marked as inferred",
    .options = pc_options,
    .state_size = sizeof(pc_state),
    .open = pc_open,
    .apply = pc_apply,
    .finish = NULL,
    .close = NULL,
    .flags = 0,
};
