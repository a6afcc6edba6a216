/*
 * The references filter: replaces each record that has a reference list by
 * its reference records, in order, so that an article's bibliography can be
 * written as BibTeX, CSL-JSON or Dublin Core. A record without references
 * produces nothing (a note says so); with keep-article=true the article
 * itself is passed on first, without its children.
 *
 * When it takes the JATS reader's records first, the reader hands each
 * reference out as a record of its own right after its article (marked, see
 * jats.h), so an article's references never all exist at once.
 */
#include <string.h>

#include "jats.h"

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

/* The JATS reader's mark on an article (its last child), or NULL. See jats.h. */
static const char *refs_mark(const cw_record *rec)
{
	size_t n = cw_record_child_count(rec);
	const cw_record *last = n ? cw_record_child(rec, n - 1) : NULL;
	const cw_passthrough *p =
	    last ? cw_record_find_passthrough(last, "jats", JATS_REFS_APART) : NULL;
	return p ? p->value : NULL;
}

static int refs_apply(void *state, cw_session *s, cw_record *rec, cw_emit *out)
{
	refs_state *st = state;
	const char *mark = refs_mark(rec);
	/* the JATS reader hands an article's references out one by one after it */
	if (st->apart && !mark)
		return cw_emit_record(out, rec);
	st->apart = mark && strcmp(mark, "follow") == 0;
	st->seen++;
	cw_record **kids = NULL;
	size_t n = 0;
	int rc = cw_record_take_children(rec, &kids, &n);
	if (rc) {
		cw_record_free(rec);
		return rc;
	}
	if (mark) {
		cw_record_free(kids[n - 1]);
		kids[--n] = NULL;
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

const cw_filter jats_references_filter = {
    .struct_size = sizeof(cw_filter),
    .name = "references",
    .description = "replace each article by the records of its reference list",
    .options = refs_options,
    .state_size = sizeof(refs_state),
    .open = refs_open,
    .apply = refs_apply,
    .finish = NULL,
    .close = NULL,
};
