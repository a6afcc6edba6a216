/*
 * The references filter: replaces each record that has a reference list by
 * its reference records, in order, so that an article's bibliography can be
 * written as BibTeX, CSL-JSON or Dublin Core. A record without references
 * produces nothing (a note says so); with keep-article=true the article
 * itself is passed on first, without its children.
 *
 * It takes children handed out apart (CW_FILTER_TAKES_CHILDREN_APART): a
 * reader whose records come here first may send a record's references after
 * it as records of their own, the record marked CW_CHILDREN_FOLLOW, so that
 * an article's references never all exist at once (the JATS reader does).
 * The output is the same either way.
 */
#include <crosswalk/crosswalk.h>

#include "filters.h"

static const cw_option_spec refs_options[] = {
    {"keep-article", CW_OPT_BOOL, "false", NULL,
     "also pass the article itself on (before its references, without them)"},
    {NULL, 0, NULL, NULL, NULL}};

typedef struct refs_state {
	int keep_article;
	int apart; /* the last article's references follow it as records of their own */
	uint64_t seen;
} refs_state;

static int refs_open(void *state, cw_session *s)
{
	refs_state *st = state;
	st->keep_article = cw_session_option_bool(s, "keep-article", 0);
	return CW_OK;
}

static int refs_apply(void *state, cw_session *s, cw_record *rec, cw_emit *out)
{
	refs_state *st = state;
	enum cw_children_mark mark = cw_record_children_mark(rec);
	/* a reference handed out on its own after its article */
	if (st->apart && mark == CW_CHILDREN_UNMARKED)
		return cw_emit_record(out, rec);
	st->apart = mark == CW_CHILDREN_FOLLOW;
	st->seen++;
	/* no later stage sees the mark (a second references filter would obey it) */
	cw_record_mark_children(rec, CW_CHILDREN_UNMARKED);
	cw_record **kids = NULL;
	size_t n = 0;
	int rc = cw_record_take_children(rec, &kids, &n);
	if (rc) {
		cw_record_free(rec);
		return rc;
	}
	if (!n && !st->apart) {
		uint32_t line = 0;
		cw_record_origin(rec, &line, NULL);
		cw_diag_emit(s, CW_SEV_NOTE, CW_OK, line, 0, "record %llu has no references",
		             (unsigned long long)st->seen);
	}
	if (st->keep_article) {
		rc = cw_emit_record(out, rec);
		rec = NULL;
	} else {
		cw_record_free(rec);
	}
	size_t i = 0;
	for (; i < n && rc == CW_OK; i++) {
		rc = cw_emit_record(out, kids[i]);
		kids[i] = NULL;
	}
	for (; i < n; i++)
		cw_record_free(kids[i]);
	cw_free(kids);
	return rc;
}

const cw_filter filters_references = {
    .struct_size = sizeof(cw_filter),
    .name = "references",
    .description = "replace each article by the records of its reference list",
    .options = refs_options,
    .state_size = sizeof(refs_state),
    .open = refs_open,
    .apply = refs_apply,
    .finish = NULL,
    .close = NULL,
    .flags = CW_FILTER_TAKES_CHILDREN_APART,
};
