/*
 * The BibTeX and BibLaTeX writers: one entry per record, fields in the
 * mapping table's order, then the record's own BibTeX passthrough fields;
 * citation keys kept or generated and made unique; everything the dialect
 * cannot carry reported.
 *
 * The name a field is written under: the first row of the table that
 * applies to the record's CSL type or to the entry type written; for titles
 * (BibLaTeX) the multi-volume rule: a volume's title is title and the
 * work's maintitle; then the name a BibTeX source used
 * (BIBTEX_SOURCEFIELDS), where the dialect allows it; then another name when
 * a passthrough field already has that one. Classic BibTeX has no subtitles:
 * a title is written with its subtitle and addon joined.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"

enum key_scheme { KEYS_SOURCE = 0, KEYS_AUTH_YEAR_TITLE, KEYS_AUTH_YEAR };

typedef struct writer {
	cw_session *s;
	cw_ostream *out;
	bibtex_map map;
	unsigned dialect;
	int ascii;
	enum key_scheme keys;
	cw_buf buf, val, key;
	cw_keyset *used; /* keys written so far, without case; see make_key */
	uint64_t count;
	int fell_back;                /* this record's type was replaced by misc */
	size_t npt;                   /* this record's BibTeX passthrough fields */
	uint32_t *rows;               /* indices of the rows this dialect writes, in order */
	size_t nrows;
	unsigned editor_slots; /* this record's editor fields taken by role rows */
	cw_buf text;           /* a value put together (joined titles, a sort key) */
	cw_buf series;         /* classic BibTeX: a multi-volume work's title written as series */
} writer;

const char *const bibtex_title_names[BIBTEX_TITLE_GROUPS][3] = {
    {"title", "subtitle", "titleaddon"},
    {"booktitle", "booksubtitle", "booktitleaddon"},
    {"maintitle", "mainsubtitle", "maintitleaddon"},
    {"journaltitle", "journalsubtitle", "journaltitleaddon"},
};

/* The record's title, its container's and its volume's, each with subtitle and addon. */
enum { TITLE_OF_ITEM, TITLE_OF_CONTAINER, TITLE_OF_VOLUME };
static const enum cw_field title_fields[3][3] = {
    {CW_FIELD_TITLE, CW_FIELD_SUBTITLE, CW_FIELD_TITLE_ADDON},
    {CW_FIELD_CONTAINER_TITLE, CW_FIELD_CONTAINER_SUBTITLE, CW_FIELD_CONTAINER_TITLE_ADDON},
    {CW_FIELD_VOLUME_TITLE, CW_FIELD_VOLUME_SUBTITLE, CW_FIELD_VOLUME_TITLE_ADDON},
};

/* Which title (TITLE_OF_*) and part (title, subtitle, addon) f is, or 0. */
static int title_kind(enum cw_field f, int *kind, int *part)
{
	switch (f) {
	case CW_FIELD_TITLE:
	case CW_FIELD_SUBTITLE:
	case CW_FIELD_TITLE_ADDON:
	case CW_FIELD_CONTAINER_TITLE:
	case CW_FIELD_CONTAINER_SUBTITLE:
	case CW_FIELD_CONTAINER_TITLE_ADDON:
	case CW_FIELD_VOLUME_TITLE:
	case CW_FIELD_VOLUME_SUBTITLE:
	case CW_FIELD_VOLUME_TITLE_ADDON:
		break;
	default:
		return 0;
	}
	for (int k = 0; k < 3; k++)
		for (int p = 0; p < 3; p++)
			if (title_fields[k][p] == f) {
				*kind = k;
				*part = p;
				return 1;
			}
	return 0;
}

static int has_volume_title(const cw_record *rec)
{
	return cw_record_has(rec, CW_FIELD_VOLUME_TITLE) ||
	       cw_record_has(rec, CW_FIELD_VOLUME_SUBTITLE) ||
	       cw_record_has(rec, CW_FIELD_VOLUME_TITLE_ADDON);
}

/* CSL types and entry types of items that are part of another (in a journal, a book...) */
static const enum cw_item_type part_types[] = {CW_TYPE_ARTICLE,          CW_TYPE_ARTICLE_JOURNAL,
                                               CW_TYPE_ARTICLE_MAGAZINE, CW_TYPE_ARTICLE_NEWSPAPER,
                                               CW_TYPE_CHAPTER,          CW_TYPE_ENTRY,
                                               CW_TYPE_ENTRY_DICTIONARY, CW_TYPE_ENTRY_ENCYCLOPEDIA,
                                               CW_TYPE_PAPER_CONFERENCE, CW_TYPE_REVIEW,
                                               CW_TYPE_REVIEW_BOOK,      CW_TYPE_POST,
                                               CW_TYPE_POST_WEBLOG,      CW_TYPE_WEBPAGE};
static const char *const part_entry_types[] = {
    "article",        "inbook",        "bookinbook", "suppbook",    "incollection",
    "suppcollection", "inproceedings", "conference", "inreference", "suppperiodical"};

int bibtex_is_part(enum cw_item_type t, const char *entrytype)
{
	for (size_t i = 0; i < sizeof part_types / sizeof part_types[0]; i++)
		if (part_types[i] == t)
			return 1;
	for (size_t i = 0; entrytype && i < sizeof part_entry_types / sizeof part_entry_types[0];
	     i++)
		if (strcmp(part_entry_types[i], entrytype) == 0)
			return 1;
	return 0;
}

/* Field names biber reads as one (its default source map for BibTeX data). */
static const char *const biber_aliases[][2] = {{"address", "location"},
                                               {"school", "institution"},
                                               {"annote", "annotation"},
                                               {"journal", "journaltitle"},
                                               {"archiveprefix", "eprinttype"},
                                               {"primaryclass", "eprintclass"},
                                               {"key", "sortkey"},
                                               {"pdf", "file"}};

int bibtex_same_field(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1;
	for (size_t i = 0; i < sizeof biber_aliases / sizeof biber_aliases[0]; i++)
		if ((strcmp(a, biber_aliases[i][0]) == 0 && strcmp(b, biber_aliases[i][1]) == 0) ||
		    (strcmp(b, biber_aliases[i][0]) == 0 && strcmp(a, biber_aliases[i][1]) == 0))
			return 1;
	return 0;
}

/* 1 if the "|"-separated list has the item "@entrytype". */
static int list_has_entry_type(const char *list, const char *entrytype)
{
	size_t n = strlen(entrytype);
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n + 1 && p[0] == '@' && memcmp(p + 1, entrytype, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* 1 if a writing row applies to a record of CSL type t written as that entry type. */
static int row_applies(const bibtex_field_row *r, enum cw_item_type t, const char *entrytype)
{
	if (!r->types || ((int)t > 0 && (int)t < 64 && (r->type_mask >> t & 1)))
		return 1;
	return r->by_entry_type && entrytype && list_has_entry_type(r->types, entrytype);
}

/* BibLaTeX: the name of title field f (default dflt) by the multi-volume rule. */
static const char *title_name(const cw_record *rec, const char *entrytype, enum cw_field f,
                              const char *dflt)
{
	int kind, part;
	if (!title_kind(f, &kind, &part) || !has_volume_title(rec))
		return dflt;
	int whole = !bibtex_is_part(cw_record_type(rec), entrytype);
	if (kind == TITLE_OF_ITEM && whole)
		return bibtex_title_names[BIBTEX_TITLE_MAIN][part];
	if (kind == TITLE_OF_VOLUME)
		return bibtex_title_names[whole ? BIBTEX_TITLE_OWN : BIBTEX_TITLE_BOOK][part];
	if (kind == TITLE_OF_CONTAINER && !whole)
		return bibtex_title_names[BIBTEX_TITLE_MAIN][part];
	return dflt;
}

const char *bibtex_out_name(const bibtex_map *m, unsigned dialect, const cw_record *rec,
                            const char *entrytype, enum cw_field f)
{
	if ((int)f <= 0 || (int)f >= CW_FIELD_COUNT_)
		return NULL;
	for (uint32_t i = m->out_first[f]; i; i = m->out_next[i - 1]) {
		const bibtex_field_row *r = &m->fields[i - 1];
		if (!(r->dialect & dialect) || !row_applies(r, cw_record_type(rec), entrytype))
			continue;
		if (dialect == BIBTEX_DIALECT_BIBLATEX)
			return title_name(rec, entrytype, f, r->bib);
		return r->bib;
	}
	return NULL;
}

static int open_common(writer *w, cw_session *s, cw_ostream *out, unsigned dialect)
{
	w->s = s;
	w->out = out;
	w->dialect = dialect;
	w->ascii = cw_session_option_bool(s, "ascii", 0);
	const char *k = cw_session_option(s, "keys");
	w->keys = !k || strcmp(k, "source") == 0 ? KEYS_SOURCE
	          : strcmp(k, "auth-year") == 0  ? KEYS_AUTH_YEAR
	                                         : KEYS_AUTH_YEAR_TITLE;
	if (cw_keyset_new(&w->used, CW_KEYSET_FOLD_CASE) != CW_OK)
		return CW_ENOMEM;
	int rc = bibtex_map_load(&w->map, s);
	if (rc)
		return rc;
	/* the rows of this dialect */
	w->rows = calloc(w->map.nfields ? w->map.nfields : 1, sizeof *w->rows);
	if (!w->rows)
		return CW_ENOMEM;
	for (size_t i = 0; i < w->map.nfields; i++) {
		const bibtex_field_row *r = &w->map.fields[i];
		if ((r->dir & BIBTEX_OUT) && (r->dialect & dialect))
			w->rows[w->nrows++] = (uint32_t)i;
	}
	return CW_OK;
}

static int begin_bibtex(void *state, cw_session *s, cw_ostream *out)
{
	return open_common(state, s, out, BIBTEX_DIALECT_BIBTEX);
}

static int begin_biblatex(void *state, cw_session *s, cw_ostream *out)
{
	return open_common(state, s, out, BIBTEX_DIALECT_BIBLATEX);
}

/* --- citation keys ------------------------------------------------------ */

/* 1 if k is valid UTF-8 holding no U+FFFD (a byte some reader could not decode). */
static int clean_utf8(const char *k)
{
	size_t n = strlen(k);
	return cw_utf8_check(k, n) == n && !strstr(k, "\xEF\xBF\xBD");
}

static int valid_key(const char *k)
{
	if (!k || !*k)
		return 0;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++) {
		if (*p <= ' ' || *p == 0x7f || strchr(",{}()\"#%'=\\~", *p))
			return 0;
	}
	return clean_utf8(k);
}

static int generate_key(writer *w, const cw_record *rec, cw_buf *key)
{
	return cw_record_make_key(
	    rec, w->keys == KEYS_AUTH_YEAR ? CW_KEY_AUTH_YEAR : CW_KEY_AUTH_YEAR_TITLE, key);
}

static int make_key(writer *w, const cw_record *rec)
{
	cw_buf *key = &w->key;
	cw_buf_clear(key);
	const char *src = cw_record_text(rec, CW_FIELD_CITATION_KEY);
	if (!valid_key(src))
		src = cw_record_text(rec, CW_FIELD_ID);
	if (w->keys == KEYS_SOURCE && valid_key(src)) {
		cw_buf_append(key, src, CW_NUL);
	} else {
		int rc = generate_key(w, rec, key);
		if (rc < 0)
			return rc;
		const char *bad = src ? src : cw_record_text(rec, CW_FIELD_CITATION_KEY);
		if (w->keys == KEYS_SOURCE && bad && *bad)
			cw_diag_emit(w->s, CW_SEV_WARNING, CW_OK, 0, 0,
			             "citation key '%s' is not a valid BibTeX key; written as '%s'",
			             bad, cw_buf_str(key));
	}
	if (cw_buf_error(key))
		return CW_ENOMEM;
	/* unique, case-insensitively as bibtex compares keys: see cw_keyset_claim */
	int taken = cw_keyset_claim(w->used, key);
	if (taken == 1 && w->keys == KEYS_SOURCE && valid_key(src))
		cw_diag_emit(w->s, CW_SEV_WARNING, CW_OK, 0, 0,
		             "citation key '%s' already written; a suffix makes it unique", src);
	return taken < 0 ? taken : CW_OK;
}

/* --- values ------------------------------------------------------------ */

static int put_field(writer *w, const char *name, const char *value, size_t len, int braces)
{
	cw_buf *b = &w->buf;
	/* ",\n  name = {" appended piece by piece: this runs for every field */
	int rc = cw_buf_append(b, ",\n  ", 4);
	if (rc == CW_OK)
		rc = cw_buf_append(b, name, CW_NUL);
	if (rc == CW_OK)
		rc = cw_buf_append(b, " = ", 3);
	if (rc == CW_OK && braces)
		rc = cw_buf_putc(b, '{');
	if (rc == CW_OK)
		rc = cw_buf_append(b, value, len);
	if (rc == CW_OK && braces)
		rc = cw_buf_putc(b, '}');
	return rc;
}

/* 1 if braces in s balance (so it can sit inside {..}). */
static int balanced(const char *s)
{
	int depth = 0;
	for (; *s; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}' && --depth < 0)
			return 0;
	}
	return depth == 0;
}

static int put_verbatim(writer *w, const char *name, const char *v)
{
	cw_buf *t = &w->val;
	cw_buf_clear(t);
	int ok = balanced(v);
	if (ok)
		return put_field(w, name, v, strlen(v), 1);
	for (const char *p = v; *p; p++) {
		if (!ok && (*p == '{' || *p == '}'))
			cw_buf_append(t, *p == '{' ? "%7B" : "%7D", 3);
		else
			cw_buf_putc(t, *p);
	}
	return put_field(w, name, cw_buf_str(t), t->len, 1);
}

static int date_needs_full(const cw_date *d)
{
	return d->parts >= 3 || d->end_parts || d->flags || d->month > 12;
}

static int put_date(writer *w, const char *name, const cw_date *d)
{
	cw_buf *t = &w->val;
	cw_buf_clear(t);
	if (cw_date_format_iso(d, t) != CW_OK)
		return cw_buf_error(t) ? CW_ENOMEM : CW_EINVAL;
	return put_field(w, name, cw_buf_str(t), t->len, 1);
}

static int put_text(writer *w, const char *name, const char *text, int protect, size_t *unmapped)
{
	cw_buf *t = &w->val;
	cw_buf_clear(t);
	int rc = bibtex_latex_encode(t, text, w->ascii, protect, unmapped);
	if (rc)
		return rc;
	return put_field(w, name, cw_buf_str(t), t->len, 1);
}

static int is_bibtex_source(const cw_record *rec)
{
	const char *f = cw_record_source_format(rec);
	return f && (strcmp(f, "bibtex") == 0 || strcmp(f, "biblatex") == 0);
}

static const char *entry_type_wanted(writer *w, const cw_record *rec);

/*
 * What the standard BibTeX styles require of each entry type ("empty journal
 * in x" otherwise). "a|b" means one of them.
 */
static const struct {
	const char *type;
	const enum cw_field need[5][2];
} classic_required[] = {
    {"article",
     {{CW_FIELD_AUTHOR}, {CW_FIELD_TITLE}, {CW_FIELD_CONTAINER_TITLE}, {CW_FIELD_ISSUED}}},
    {"book",
     {{CW_FIELD_AUTHOR, CW_FIELD_EDITOR},
      {CW_FIELD_TITLE},
      {CW_FIELD_PUBLISHER},
      {CW_FIELD_ISSUED}}},
    {"booklet", {{CW_FIELD_TITLE}}},
    {"inbook",
     {{CW_FIELD_AUTHOR, CW_FIELD_EDITOR},
      {CW_FIELD_TITLE},
      {CW_FIELD_CHAPTER_NUMBER, CW_FIELD_PAGE},
      {CW_FIELD_PUBLISHER},
      {CW_FIELD_ISSUED}}},
    {"incollection",
     {{CW_FIELD_AUTHOR},
      {CW_FIELD_TITLE},
      {CW_FIELD_CONTAINER_TITLE},
      {CW_FIELD_PUBLISHER},
      {CW_FIELD_ISSUED}}},
    {"inproceedings",
     {{CW_FIELD_AUTHOR}, {CW_FIELD_TITLE}, {CW_FIELD_CONTAINER_TITLE}, {CW_FIELD_ISSUED}}},
    {"manual", {{CW_FIELD_TITLE}}},
    {"mastersthesis",
     {{CW_FIELD_AUTHOR}, {CW_FIELD_TITLE}, {CW_FIELD_PUBLISHER}, {CW_FIELD_ISSUED}}},
    {"phdthesis", {{CW_FIELD_AUTHOR}, {CW_FIELD_TITLE}, {CW_FIELD_PUBLISHER}, {CW_FIELD_ISSUED}}},
    {"proceedings", {{CW_FIELD_TITLE}, {CW_FIELD_ISSUED}}},
    {"techreport", {{CW_FIELD_AUTHOR}, {CW_FIELD_TITLE}, {CW_FIELD_PUBLISHER}, {CW_FIELD_ISSUED}}},
    {"unpublished", {{CW_FIELD_AUTHOR}, {CW_FIELD_TITLE}, {CW_FIELD_NOTE}}},
};

/* The first requirement of a classic type the record does not meet, or NULL. */
static const char *classic_missing(const char *type, const cw_record *rec)
{
	for (size_t i = 0; i < sizeof classic_required / sizeof classic_required[0]; i++) {
		if (strcmp(classic_required[i].type, type) != 0)
			continue;
		for (size_t k = 0; k < 5; k++) {
			enum cw_field a = classic_required[i].need[k][0],
			              b = classic_required[i].need[k][1];
			if (a == CW_FIELD_NONE)
				break;
			if (!cw_record_has(rec, a) &&
			    (b == CW_FIELD_NONE || !cw_record_has(rec, b)))
				return cw_field_name(a);
		}
		if ((strcmp(type, "book") == 0 || strcmp(type, "inbook") == 0) &&
		    cw_record_has(rec, CW_FIELD_AUTHOR) && cw_record_has(rec, CW_FIELD_EDITOR))
			return "author and editor together";
	}
	return NULL;
}

static const char *entry_type(writer *w, const cw_record *rec)
{
	const char *t = entry_type_wanted(w, rec);
	if (w->dialect == BIBTEX_DIALECT_BIBTEX) {
		const char *miss = classic_missing(t, rec);
		/* BibLaTeX's @inbook, a part with its own title, is BibTeX's @incollection */
		const char *alt = miss ? bibtex_type_out(&w->map, rec, w->dialect) : NULL;
		if (alt && strcmp(alt, t) != 0 && !classic_missing(alt, rec))
			return alt;
		if (miss) {
			cw_diag_loss(w->s, rec, CW_FIELD_NONE, CW_LOSS_DEGRADED,
			                    "entry type @%s (it needs %s; written as @misc)", t,
			                    miss);
			w->fell_back = 1;
			return "misc";
		}
	}
	return t;
}

const char *bibtex_write_type(const bibtex_map *m, const cw_record *rec, unsigned dialect)
{
	enum cw_item_type t = cw_record_type(rec);
	const cw_passthrough *pt = cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, "entrytype");
	if (pt && valid_key(pt->value)) {
		/* the source's own type, when it still says what the record is */
		size_t n = strlen(pt->value);
		const bibtex_type_row *r = bibtex_map_type_in(m, pt->value, n);
		enum cw_item_type rt = r ? r->csl : CW_TYPE_DOCUMENT;
		if (rt == t || (t == CW_TYPE_ARTICLE_MAGAZINE || t == CW_TYPE_ARTICLE_NEWSPAPER)) {
			if (dialect == BIBTEX_DIALECT_BIBLATEX || bibtex_classic_type(pt->value))
				return pt->value;
		}
	}
	return bibtex_type_out(m, rec, dialect);
}

static const char *entry_type_wanted(writer *w, const cw_record *rec)
{
	return bibtex_write_type(&w->map, rec, w->dialect);
}

static int genre_field(writer *w, const cw_record *rec, int *written)
{
	const char *g = cw_record_text(rec, CW_FIELD_GENRE);
	if (!g)
		return CW_OK;
	*written = 1;
	if (cw_record_type(rec) == CW_TYPE_THESIS) {
		int phd = strcmp(g, "PhD thesis") == 0, ma = strcmp(g, "Master's thesis") == 0;
		if (phd || ma) {
			if (w->dialect == BIBTEX_DIALECT_BIBTEX)
				return CW_OK;
			return put_field(w, "type", phd ? "phdthesis" : "mathesis", phd ? 9 : 8, 1);
		}
	}
	/* words biblatex has a localisation key for go back as the key ("research
	 * report": resreport), which biblatex prints the same */
	const char *key = w->dialect == BIBTEX_DIALECT_BIBLATEX ? bibtex_bibstring_key(g) : NULL;
	if (key)
		return put_field(w, "type", key, strlen(key), 1);
	return put_text(w, "type", g, 0, NULL);
}

/*
 * The field name a row writes a value under: want, unless the record keeps a
 * passthrough field of that name (then another name of the same field, so
 * that both survive), or one that would read back before it.
 */
static const char *out_name(writer *w, const cw_record *rec, const bibtex_field_row *r,
                            const char *want)
{
	if (!w->npt)
		return want;
	if (!cw_record_has(rec, r->field) && r->field != CW_FIELD_ISSUE &&
	    r->field != CW_FIELD_NUMBER && r->field != CW_FIELD_COLLECTION_NUMBER)
		return want;
	/* the best reading priority of a kept field that reads into the same field */
	int min = -1;
	size_t np = cw_record_passthrough_count(rec);
	int own_taken = 0;
	for (size_t i = 0; i < np; i++) {
		const cw_passthrough *pt = cw_record_passthrough(rec, i);
		if (strcmp(pt->format, BIBTEX_PASSTHROUGH) != 0)
			continue;
		if (strcmp(pt->name, want) == 0)
			own_taken = 1;
		int row = bibtex_map_field_in(&w->map, pt->name, strlen(pt->name));
		if (row >= 0 && w->map.fields[row].field == r->field && (min < 0 || row < min))
			min = row;
	}
	int own = bibtex_map_field_in(&w->map, want, strlen(want));
	if (!own_taken && (min < 0 || (own >= 0 && own < min)))
		return want;
	/* another name of the same field that reads back first */
	for (size_t i = 0; i < w->map.nfields; i++) {
		const bibtex_field_row *o = &w->map.fields[i];
		if (!(o->dir & BIBTEX_IN) || o->field != r->field || o->conv != r->conv)
			continue;
		if ((int)i != bibtex_map_field_in(&w->map, o->bib, strlen(o->bib)))
			continue;
		if (min >= 0 && (int)i >= min)
			break;
		if (!cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, o->bib))
			return o->bib;
	}
	return want; /* the kept field is then reported as not carried */
}

/*
 * The name a BibTeX source gave field f in names (the value of
 * BIBTEX_SOURCEFIELDS, may be NULL), copied into buf; NULL when none.
 */
static const char *source_name(const char *names, enum cw_field f, char *buf, size_t size)
{
	const char *field = cw_field_name(f);
	if (!names || !field)
		return NULL;
	size_t fl = strlen(field);
	for (const char *p = names; *p;) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		if (eq && (size_t)(eq - p) == fl && memcmp(p, field, fl) == 0) {
			size_t vl = n - fl - 1;
			if (vl == 0 || vl >= size)
				return NULL;
			memcpy(buf, eq + 1, vl);
			buf[vl] = '\0';
			return buf;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return NULL;
}

/*
 * The name its source used for field f when the dialect may write f under
 * it (the table's own copy of name, which outlives the record), else NULL:
 * BibLaTeX any name that reads into f (the same fields back); classic BibTeX
 * a name its styles read for the entry type (a row of the dialect that
 * applies), never for titles, which it joins.
 */
static const char *source_name_fits(writer *w, const cw_record *rec, const char *entrytype,
                                    enum cw_field f, const char *name)
{
	int kind, part;
	int is_title = title_kind(f, &kind, &part);
	if (w->dialect == BIBTEX_DIALECT_BIBLATEX) {
		if (is_title)
			for (int g = 0; g < BIBTEX_TITLE_GROUPS; g++)
				if (strcmp(bibtex_title_names[g][part], name) == 0)
					return bibtex_title_names[g][part];
		int row = bibtex_map_field_in(&w->map, name, strlen(name));
		return row >= 0 && w->map.fields[row].field == f ? w->map.fields[row].bib : NULL;
	}
	if (is_title)
		return NULL;
	for (size_t i = 0; i < w->nrows; i++) {
		const bibtex_field_row *r = &w->map.fields[w->rows[i]];
		if (r->field == f && strcmp(r->bib, name) == 0 &&
		    row_applies(r, cw_record_type(rec), entrytype))
			return r->bib;
	}
	return NULL;
}

/*
 * Classic BibTeX's title (kind TITLE_OF_ITEM) or container title
 * (TITLE_OF_CONTAINER) of rec into w->text, subtitles and addons joined. A
 * volume of a multi-volume work gives its own title, and the work's goes
 * into series (w->series) when the record has none, as BibTeX's styles
 * print "Title, volume 2 of Work"; otherwise "Work. Title". Returns 1 when
 * the volume was written so (a change of structure the caller reports),
 * CW_ENOMEM when the title could not be made whole.
 */
static int classic_title(writer *w, const cw_record *rec, const char *entrytype, int kind)
{
	cw_buf *t = &w->text;
	cw_buf_clear(t);
	int whole = !bibtex_is_part(cw_record_type(rec), entrytype);
	if (!has_volume_title(rec) || whole != (kind == TITLE_OF_ITEM)) {
		cw_record_joined_title(rec, title_fields[kind][0], t);
		return cw_buf_error(t);
	}
	if (!cw_record_has(rec, CW_FIELD_COLLECTION_TITLE) && !w->series.len) {
		cw_record_joined_title(rec, title_fields[kind][0], &w->series);
	} else {
		cw_record_joined_title(rec, title_fields[kind][0], t);
		if (t->len)
			cw_buf_append(t, ". ", 2);
	}
	cw_record_joined_title(rec, CW_FIELD_VOLUME_TITLE, t);
	return cw_buf_error(t) || cw_buf_error(&w->series) ? CW_ENOMEM : 1;
}

/*
 * What classic BibTeX's styles (plain, alpha, abbrv) sort an entry type by:
 * author, except books (author or editor), proceedings (editor or
 * organization) and manuals (author or organization). 1 if the entry has
 * none of them, so that it needs a key.
 */
static int classic_needs_key(const char *type, const cw_record *rec, const char *publisher_name)
{
	int org = publisher_name && strcmp(publisher_name, "organization") == 0 &&
	          cw_record_has(rec, CW_FIELD_PUBLISHER);
	int author = cw_record_has(rec, CW_FIELD_AUTHOR);
	int editor = cw_record_has(rec, CW_FIELD_EDITOR);
	if (strcmp(type, "book") == 0 || strcmp(type, "inbook") == 0)
		return !author && !editor;
	if (strcmp(type, "proceedings") == 0)
		return !editor && !org;
	if (strcmp(type, "manual") == 0)
		return !author && !org;
	return !author;
}

/* A sort key for an entry without the names its style sorts by: the first editor, else the
 * title (its first words), else the publisher. Into w->text. */
static void sort_key(writer *w, const cw_record *rec)
{
	cw_buf *t = &w->text;
	cw_buf_clear(t);
	const cw_name *ed = cw_record_name(rec, CW_FIELD_EDITOR, 0);
	const char *k = ed ? (ed->family ? ed->family : ed->literal) : NULL;
	if (!k)
		k = cw_record_text(rec, CW_FIELD_TITLE);
	if (!k)
		k = cw_record_text(rec, CW_FIELD_PUBLISHER);
	if (!k)
		return; /* nothing a style would print either: a key changes no warning */
	/* letters, digits and spaces: what the styles sort and label by, nothing that
	 * needs escaping (alpha's label takes its first characters) */
	for (const unsigned char *p = (const unsigned char *)k; *p; p++) {
		int keep = *p >= 0x80 || (*p >= '0' && *p <= '9') ||
		           ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
		if (keep)
			cw_buf_putc(t, (char)*p);
		else if (t->len && t->data[t->len - 1] != ' ')
			cw_buf_putc(t, ' ');
	}
	while (t->len && t->data[t->len - 1] == ' ')
		t->data[--t->len] = '\0';
	if (t->len > 40) {
		/* at a word boundary, not inside a UTF-8 sequence */
		size_t n = 40;
		while (n > 20 && t->data[n] != ' ')
			n--;
		while (n > 0 && ((unsigned char)t->data[n] & 0xC0) == 0x80)
			n--;
		t->len = n;
		t->data[n] = '\0';
	}
}

/* 1 if s holds nothing but white space. */
static int blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

/* --- one entry ---------------------------------------------------------- */

/*
 * What one entry has written so far: the fields carried (for the loss
 * report), the name each field went under (to report a source's name not
 * given back) and every field name written (so that a passthrough field
 * does not write one twice).
 */
typedef struct entry {
	cw_session *s;
	const cw_record *rec;
	const char *type; /* the entry type written */
	enum cw_item_type it;
	int classic;          /* classic BibTeX, not BibLaTeX */
	int protect;          /* titles' capitals braced: the record is not from BibTeX */
	const char *srcnames; /* BIBTEX_SOURCEFIELDS: the names its source used, or NULL */
	int restructured;     /* classic: a volume's titles written as title and series */
	size_t unmapped;      /* characters with no ASCII LaTeX form */
	enum cw_field carried[CW_FIELD_COUNT_ + 8];
	size_t ncarried;
	unsigned char done[CW_FIELD_COUNT_ + 1];
	unsigned char whole[CW_FIELD_COUNT_ + 1]; /* written by a row that is no role row */
	const char *written_as[CW_FIELD_COUNT_ + 1];
	const char *names[256];
	size_t nnames;
} entry;

/* Field f counts as carried (once). */
static void carry(entry *e, enum cw_field f)
{
	if (!e->done[f]) {
		e->done[f] = 1;
		e->carried[e->ncarried++] = f;
	}
}

/* A field name written (the table's or a literal: it outlives the entry). */
static void remember_name(entry *e, const char *name)
{
	if (e->nnames < sizeof e->names / sizeof e->names[0])
		e->names[e->nnames++] = name;
}

/* 1 if a kept date says it came from BibLaTeX's date field (not year). */
static int date_from_date_field(const cw_date *d)
{
	return d->extra_format && strcmp(d->extra_format, BIBTEX_PASSTHROUGH) == 0 && d->extra &&
	       strcmp(d->extra, "date") == 0;
}

/* bibtex_roles_write's put: a field, remembered as written */
typedef struct role_put {
	writer *w;
	entry *e;
} role_put;

static int put_role_field(void *ctx, const char *name, const char *value, size_t len)
{
	role_put *p = ctx;
	remember_name(p->e, name);
	return put_field(p->w, name, value, len, 1);
}

/*
 * One row's value, by the row's conversion: each put_* below writes field f
 * of the entry under *name, sets *wrote when it wrote it (or decided that
 * nothing need be written) and may change *name to the one to remember
 * (NULL: remembered already).
 */
typedef int (*put_row_fn)(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                          int *wrote);

static int put_names_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                         int *wrote)
{
	enum cw_field f = r->field;
	const cw_record *rec = e->rec;
	if (!cw_record_name_count(rec, f))
		return CW_OK;
	if (r->role) {
		role_put rp = {w, e};
		*name = NULL; /* remembered by put_role_field */
		return bibtex_roles_write(&w->map, r, w->dialect, e->s, rec, &w->editor_slots,
		                          &w->val, w->ascii, put_role_field, &rp, &e->unmapped,
		                          wrote);
	}
	if (e->classic) {
		for (size_t k = 0; k < cw_record_name_count(rec, f); k++)
			if (cw_record_name(rec, f, k)->dropping_particle) {
				cw_diag_loss(e->s, rec, f, CW_LOSS_DEGRADED,
				             "a dropping particle is written as a von part");
				break;
			}
	}
	cw_buf_clear(&w->val);
	int rc = bibtex_names_write(&w->val, rec, f, w->ascii,
	                            w->dialect == BIBTEX_DIALECT_BIBLATEX, &e->unmapped);
	if (rc == CW_OK)
		rc = put_field(w, *name, cw_buf_str(&w->val), w->val.len, 1);
	*wrote = 1;
	return rc;
}

static int put_date_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                        int *wrote)
{
	enum cw_field f = r->field;
	const cw_date *d = cw_record_date(e->rec, f);
	int rc = CW_OK;
	if (!d)
		return CW_OK;
	if (d->parts || d->end_parts) {
		rc = put_date(w, *name, d);
		*wrote = rc == CW_OK;
		if (rc == CW_EINVAL)
			rc = CW_OK;
	} else if (d->literal && f == CW_FIELD_ISSUED) {
		/* unparsed: back into the field it came from (year unless date) */
		const char *as = date_from_date_field(d) ? "date" : "year";
		rc = put_text(w, as, d->literal, 0, &e->unmapped);
		remember_name(e, as);
		*wrote = 1;
	} else if (d->literal) {
		rc = put_text(w, *name, d->literal, 0, &e->unmapped);
		*wrote = 1;
	}
	return rc;
}

static int put_year_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                        int *wrote)
{
	enum cw_field f = r->field;
	const cw_date *d = cw_record_date(e->rec, f);
	int rc;
	if (!d)
		return CW_OK;
	if (!d->parts && d->literal) {
		/* unparsed: back into the field it came from */
		int as_date = date_from_date_field(d);
		rc = put_text(w, as_date ? "date" : *name, d->literal, 0, &e->unmapped);
		if (as_date)
			remember_name(e, "date");
		*wrote = 1;
		return rc;
	}
	if (!d->parts)
		return CW_OK;
	char y[32];
	int n = snprintf(y, sizeof y, "%d", (int)d->year);
	rc = put_field(w, "year", y, (size_t)n, 1);
	if (rc == CW_OK && d->parts >= 2 && d->month >= 1 && d->month <= 12 && !d->end_parts) {
		/* the month's macro: jan, feb... */
		unsigned style = CW_MONTH_ABBREV | CW_MONTH_LOWER;
		const char *m = cw_month_name(d->month, style);
		rc = put_field(w, "month", m, 3, 0);
		remember_name(e, "month");
	}
	if (rc == CW_OK && date_needs_full(d)) {
		/* bibtex ignores date; biblatex-aware readers (and ours) take it */
		rc = put_date(w, "date", d);
		remember_name(e, "date");
	}
	*wrote = 1;
	return rc;
}

/* Written with the year (put_year_row). */
static int put_nothing_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                           int *wrote)
{
	(void)w, (void)e, (void)r, (void)name, (void)wrote;
	return CW_OK;
}

static int put_number_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                          int *wrote)
{
	enum cw_field f = r->field;
	const char *v = cw_record_text(e->rec, f);
	if (!v)
		return CW_OK;
	*wrote = 1;
	return put_text(w, *name, v, 0, &e->unmapped);
}

static int put_pages_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                         int *wrote)
{
	enum cw_field f = r->field;
	const char *v = cw_record_text(e->rec, f);
	if (!v)
		return CW_OK;
	/* a range's hyphen or en dash as "--" (an em dash "---"); pages with
	 * hyphens of their own ("M-1–M-4") keep them, only a dash separates */
	cw_buf pg = CW_BUF_INIT;
	int dashes = strstr(v, "\xE2\x80\x93") || strstr(v, "\xE2\x80\x94");
	for (const char *p = v; *p; p++) {
		/* byte by byte: a compare of three bytes would read past the NUL
		 * of a value that ends one or two bytes after p */
		if (dashes && p[0] == '\xE2' && p[1] == '\x80' && (p[2] == '\x93' || p[2] == '\x94')) {
			cw_buf_append(&pg, "---", p[2] == '\x94' ? 3 : 2);
			p += 2;
		} else if (!dashes && *p == '-' && p[1] != '-' && (p == v || p[-1] != '-')) {
			cw_buf_append(&pg, "--", 2);
		} else {
			cw_buf_putc(&pg, *p);
		}
	}
	int rc = cw_buf_error(&pg);
	if (rc == CW_OK)
		rc = put_text(w, *name, cw_buf_str(&pg), 0, &e->unmapped);
	/* put_text escapes nothing in "--" */
	cw_buf_free(&pg);
	*wrote = 1;
	return rc;
}

static int put_verbatim_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                            int *wrote)
{
	enum cw_field f = r->field;
	const char *v = cw_record_text(e->rec, f);
	int rc;
	if (!v)
		return CW_OK;
	*wrote = 1;
	if (f == CW_FIELD_PMID && !e->classic && !cw_record_has(e->rec, CW_FIELD_ARXIV)) {
		/* biblatex's own form of a PubMed id (its data model has no pmid) */
		rc = put_verbatim(w, "eprint", v);
		if (rc == CW_OK)
			rc = put_field(w, "eprinttype", "pubmed", 6, 1);
		remember_name(e, "eprint");
		*name = "eprinttype";
		return rc;
	}
	return put_verbatim(w, *name, v);
}

static int put_list_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                        int *wrote)
{
	enum cw_field f = r->field;
	if (!cw_record_item_count(e->rec, f))
		return CW_OK;
	cw_buf list = CW_BUF_INIT; /* put_text encodes into w->val */
	int rc = cw_record_join_items(e->rec, f, &list);
	if (rc == CW_OK)
		rc = put_text(w, *name, cw_buf_str(&list), 0, &e->unmapped);
	cw_buf_free(&list);
	*wrote = 1;
	return rc;
}

static int put_eprint_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                          int *wrote)
{
	enum cw_field f = r->field;
	const char *v = cw_record_text(e->rec, f);
	if (!v)
		return CW_OK;
	int rc = put_verbatim(w, *name, v);
	if (rc == CW_OK) {
		int biblatex = w->dialect == BIBTEX_DIALECT_BIBLATEX;
		const char *kind = biblatex ? "eprinttype" : "archiveprefix";
		rc = put_field(w, kind, biblatex ? "arxiv" : "arXiv", 5, 1);
		remember_name(e, kind);
	}
	*wrote = 1;
	return rc;
}

/* Text (BIBTEX_CONV_TEXT, _RICH and the conversions without a put_* of their own). */
static int put_text_row(writer *w, entry *e, const bibtex_field_row *r, const char **name,
                        int *wrote)
{
	enum cw_field f = r->field;
	if (f == CW_FIELD_GENRE)
		return genre_field(w, e->rec, wrote);
	const char *v = cw_record_text(e->rec, f);
	if (!v)
		return CW_OK;
	*wrote = 1;
	/* words biblatex has a localisation key for go back as the key
	 * ("research report": resreport), which biblatex prints the same */
	const char *key = r->bibstring && !e->classic ? bibtex_bibstring_key(v) : NULL;
	if (key)
		return put_field(w, *name, key, strlen(key), 1);
	size_t nd = strspn(v, "0123456789");
	if (r->bibstring && !e->classic && f == CW_FIELD_COLLECTION_TITLE && nd && nd <= 3 &&
	    strlen(v) == nd + 9 && strcmp(v + nd + 2, " series") == 0)
		/* "3rd series": biblatex's own series = 3, which it prints so */
		return put_field(w, *name, v, nd, 1);
	int prot = e->protect && r->conv == BIBTEX_CONV_RICH && strstr(*name, "title") != NULL;
	return put_text(w, *name, v, prot, &e->unmapped);
}

/* The put_* of each conversion; NULL (not listed): put_text_row. */
static const put_row_fn put_row_by_conv[] = {
    [BIBTEX_CONV_NAMES] = put_names_row,   [BIBTEX_CONV_DATE] = put_date_row,
    [BIBTEX_CONV_YEAR] = put_year_row,     [BIBTEX_CONV_MONTH] = put_nothing_row,
    [BIBTEX_CONV_DAY] = put_nothing_row,   [BIBTEX_CONV_NUMBER] = put_number_row,
    [BIBTEX_CONV_PAGES] = put_pages_row,   [BIBTEX_CONV_VERBATIM] = put_verbatim_row,
    [BIBTEX_CONV_DOI] = put_verbatim_row,  [BIBTEX_CONV_ISBN] = put_verbatim_row,
    [BIBTEX_CONV_ISSN] = put_verbatim_row, [BIBTEX_CONV_LIST] = put_list_row,
    [BIBTEX_CONV_EPRINT] = put_eprint_row,
};

/*
 * Classic BibTeX's title or container title (f, of kind TITLE_OF_*): one
 * field with its subtitle and addon joined; a volume's title goes with the
 * item's (see classic_title).
 */
static int put_classic_title(writer *w, entry *e, enum cw_field f, int kind, int part,
                             const char *name)
{
	if (part != 0 || kind == TITLE_OF_VOLUME)
		return CW_OK;
	int ct = classic_title(w, e->rec, e->type, kind);
	if (ct < 0)
		return ct;
	if (ct) {
		e->restructured = 1;
		for (int p = 0; p < 3; p++)
			carry(e, title_fields[TITLE_OF_VOLUME][p]);
	}
	if (!w->text.len)
		return CW_OK;
	int rc = put_text(w, name, cw_buf_str(&w->text), e->protect && kind == TITLE_OF_ITEM,
	                  &e->unmapped);
	for (int p = 0; p < 3; p++)
		if (cw_record_has(e->rec, title_fields[kind][p]))
			carry(e, title_fields[kind][p]);
	e->written_as[f] = name;
	remember_name(e, name);
	return rc;
}

/* The row r of the dialect's table, if it applies to the entry and has a value. */
static int put_row(writer *w, entry *e, const bibtex_field_row *r)
{
	const cw_record *rec = e->rec;
	enum cw_field f = r->field;
	int kind, part;
	if (e->done[f] && (!r->role || e->whole[f]))
		return CW_OK; /* role rows share a field (contributor), unless a row wrote it whole
		               */
	/* most rows name a field the record does not have (classic BibTeX builds
	 * title and series out of other fields) */
	if (!cw_record_has(rec, f) &&
	    !(e->classic && (f == CW_FIELD_COLLECTION_TITLE || title_kind(f, &kind, &part))))
		return CW_OK;
	/* the name: the row's, the multi-volume rule's, the source's where it fits (a
	 * BibLaTeX source's field is written back even where no row applies) */
	char srcbuf[64];
	const char *src = source_name(e->srcnames, f, srcbuf, sizeof srcbuf);
	if (src)
		src = source_name_fits(w, rec, e->type, f, src);
	if (!row_applies(r, e->it, e->type) && !src)
		return CW_OK;
	const char *want = src ? src : e->classic ? r->bib : title_name(rec, e->type, f, r->bib);
	const char *name = out_name(w, rec, r, want);
	if (!name)
		return CW_OK;
	if (strcmp(name, "howpublished") == 0 && !cw_record_has(rec, CW_FIELD_URL)) {
		/* a publisher that looks like a URL would read back as the URL */
		const char *v = cw_record_text(rec, f);
		if (v && bibtex_looks_like_url(v, strlen(v)))
			name = "publisher";
	}
	if (e->classic && title_kind(f, &kind, &part))
		return put_classic_title(w, e, f, kind, part, name);
	if (e->classic && f == CW_FIELD_COLLECTION_TITLE && w->series.len &&
	    !cw_record_has(rec, f)) {
		remember_name(e, name);
		return put_text(w, name, cw_buf_str(&w->series), 0, &e->unmapped);
	}
	put_row_fn put = (size_t)r->conv < sizeof put_row_by_conv / sizeof put_row_by_conv[0]
	                     ? put_row_by_conv[r->conv]
	                     : NULL;
	int wrote = 0;
	int rc = (put ? put : put_text_row)(w, e, r, &name, &wrote);
	if (wrote) {
		carry(e, f);
		e->whole[f] |= !r->role;
		if (name) {
			e->written_as[f] = name;
			remember_name(e, name);
		}
	}
	return rc;
}

/* "@type{key" (the fields follow, each after a comma). */
static int open_entry(writer *w, const char *type)
{
	cw_buf *b = &w->buf;
	int rc = w->count ? cw_buf_putc(b, '\n') : CW_OK;
	if (rc == CW_OK)
		rc = cw_buf_putc(b, '@');
	if (rc == CW_OK)
		rc = cw_buf_append(b, type, CW_NUL);
	if (rc == CW_OK)
		rc = cw_buf_putc(b, '{');
	if (rc == CW_OK)
		rc = cw_buf_append(b, cw_buf_str(&w->key), CW_NUL);
	return rc;
}

/* The entry type written, where it says less than the record's type or its source's. */
static void report_type(writer *w, const entry *e)
{
	cw_session *s = e->s;
	const cw_record *rec = e->rec;
	const char *type = e->type;
	enum cw_item_type it = e->it;
	const cw_passthrough *et = cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, "entrytype");
	if (et && strcmp(et->value, type) != 0)
		cw_diag_loss(s, rec, CW_FIELD_NONE, CW_LOSS_DEGRADED,
		             "%s:entrytype (@%s written as @%s)", BIBTEX_PASSTHROUGH, et->value,
		             type);
	if (it == CW_TYPE_THESIS && e->classic && !cw_record_has(rec, CW_FIELD_GENRE))
		cw_diag_loss(s, rec, CW_FIELD_NONE, CW_LOSS_DEGRADED,
		             "type thesis without a genre (BibTeX has no generic thesis: @%s)",
		             type);
	/* a type the dialect has no entry type for is a loss: say so (once: a
	 * type that fell back to @misc said why already) */
	const bibtex_type_row *back = bibtex_map_type_in(&w->map, type, strlen(type));
	enum cw_item_type bt = back ? back->csl : CW_TYPE_DOCUMENT;
	if (it != CW_TYPE_UNSET && bt != it && !w->fell_back &&
	    !(bt == CW_TYPE_ARTICLE_JOURNAL &&
	      (it == CW_TYPE_ARTICLE_MAGAZINE || it == CW_TYPE_ARTICLE_NEWSPAPER) &&
	      w->dialect == BIBTEX_DIALECT_BIBLATEX))
		cw_diag_loss(s, rec, CW_FIELD_NONE, CW_LOSS_DEGRADED, "type %s (written as @%s)",
		             cw_item_type_name(it), type);
}

/* The entry's bookkeeping before its first field. */
static void start_entry(writer *w, entry *e)
{
	const cw_record *rec = e->rec;
	e->carried[e->ncarried++] = CW_FIELD_ID;
	e->carried[e->ncarried++] = CW_FIELD_CITATION_KEY;
	e->protect = !is_bibtex_source(rec);
	cw_buf_clear(&w->series);
	w->npt = 0;
	w->editor_slots = 0;
	/* what the reader derives from other fields (arXiv's number...) is not written */
	enum cw_field derived[4];
	size_t nd = bibtex_derived_fields(rec, derived);
	for (size_t i = 0; i < nd; i++)
		carry(e, derived[i]);
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++)
		w->npt += strcmp(cw_record_passthrough(rec, i)->format, BIBTEX_PASSTHROUGH) == 0;
	const cw_passthrough *names_pt =
	    w->npt ? cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, BIBTEX_SOURCEFIELDS)
	           : NULL;
	e->srcnames = names_pt ? names_pt->value : NULL;
}

/* page-first is the start of the page range written in "pages": carried */
static void carry_page_first(entry *e)
{
	const char *pg = cw_record_text(e->rec, CW_FIELD_PAGE);
	const char *pf = cw_record_text(e->rec, CW_FIELD_PAGE_FIRST);
	if (pg && pf && e->done[CW_FIELD_PAGE] && strncmp(pg, pf, strlen(pf)) == 0 &&
	    (pg[strlen(pf)] == '\0' || strchr("-\xE2, ", pg[strlen(pf)])))
		carry(e, CW_FIELD_PAGE_FIRST);
}

/* BibLaTeX: a magazine's or newspaper's article is an @article with its entrysubtype. */
static int put_entrysubtype(writer *w, entry *e)
{
	if (w->dialect != BIBTEX_DIALECT_BIBLATEX ||
	    (e->it != CW_TYPE_ARTICLE_MAGAZINE && e->it != CW_TYPE_ARTICLE_NEWSPAPER) ||
	    strcmp(e->type, "article") != 0)
		return CW_OK;
	int magazine = e->it == CW_TYPE_ARTICLE_MAGAZINE;
	remember_name(e, "entrysubtype");
	return put_field(w, "entrysubtype", magazine ? "magazine" : "newspaper", magazine ? 8 : 9,
	                 1);
}

/* the names the source used that this output does not give back */
static void report_renamed(const entry *e)
{
	cw_session *s = e->s;
	for (enum cw_field f = 1; e->srcnames && f < CW_FIELD_COUNT_; f++) {
		char srcbuf[64];
		const char *src =
		    e->written_as[f] ? source_name(e->srcnames, f, srcbuf, sizeof srcbuf) : NULL;
		if (src && !bibtex_same_field(src, e->written_as[f]))
			cw_diag_loss(s, e->rec, f, CW_LOSS_DEGRADED,
			             "written as %s, not as %s like its source", e->written_as[f],
			             src);
	}
}

/* The record's own BibTeX fields, but those a mapped field wrote under their name. */
static int put_passthrough(writer *w, entry *e)
{
	cw_session *s = e->s;
	const cw_record *rec = e->rec;
	size_t np = cw_record_passthrough_count(rec);
	int inherits = cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, "crossref") ||
	               cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, "xdata");
	int rc = CW_OK;
	for (size_t i = 0; i < np && rc == CW_OK; i++) {
		const cw_passthrough *pt = cw_record_passthrough(rec, i);
		if (strcmp(pt->format, BIBTEX_PASSTHROUGH) != 0 ||
		    strcmp(pt->name, "entrytype") == 0 ||
		    strcmp(pt->name, BIBTEX_SOURCEFIELDS) == 0)
			continue;
		int dup = 0;
		for (size_t k = 0; k < e->nnames && !dup; k++)
			dup = strcmp(e->names[k], pt->name) == 0;
		const char *why = dup                    ? "a mapped field of that name was written"
		                  : !valid_key(pt->name) ? "not valid BibTeX"
		                  : !balanced(pt->value) ? "not valid BibTeX"
		                  : blank(pt->value) && !inherits ? "empty"
		                                                  : NULL;
		/* an empty field is kept only where it stops inheriting the parent's */
		if (why) {
			cw_diag_not_carried(s, rec, CW_FIELD_NONE, "%s:%s (%s)", BIBTEX_PASSTHROUGH,
			                    pt->name, why);
			continue;
		}
		const char *v = pt->value;
		size_t vl = strlen(v);
		if (cw_utf8_check(v, vl) != vl) {
			cw_buf_clear(&w->text);
			if (cw_buf_append_utf8(&w->text, v, vl) < 0)
				return CW_ENOMEM;
			cw_diag_emit(s, CW_SEV_WARNING, CW_OK, 0, 0,
			             "%s:%s: bytes that are not UTF-8 written as U+FFFD",
			             BIBTEX_PASSTHROUGH, pt->name);
			v = cw_buf_str(&w->text);
			vl = w->text.len;
		}
		rc = put_field(w, pt->name, v, vl, 1);
	}
	return rc;
}

/* Classic BibTeX: what the styles sort (and alpha labels) an entry without names by. */
static int put_sort_key(writer *w, entry *e)
{
	if (!e->classic || cw_record_find_passthrough(e->rec, BIBTEX_PASSTHROUGH, "key") ||
	    !classic_needs_key(e->type, e->rec, e->written_as[CW_FIELD_PUBLISHER]))
		return CW_OK;
	sort_key(w, e->rec);
	int rc = cw_buf_error(&w->text);
	if (rc == CW_OK && w->text.len)
		rc = put_text(w, "key", cw_buf_str(&w->text), 0, &e->unmapped);
	return rc;
}

/* "}" and the entry out; then what it did not carry. */
static int close_entry(writer *w, entry *e, size_t header_len)
{
	cw_session *s = e->s;
	cw_buf *b = &w->buf;
	int rc = CW_OK;
	if (b->len == header_len)
		rc = cw_buf_putc(b, ','); /* "@misc{key,}": btparse wants the comma */
	if (rc == CW_OK)
		rc = cw_buf_append(b, "\n}\n", 3);
	if (rc == CW_OK)
		rc = cw_diag_check_buf(s, b);
	if (rc == CW_OK)
		rc = cw_ostream_write(w->out, b->data, b->len);
	if (rc == CW_OK) {
		cw_diag_uncarried(s, e->rec, e->carried, e->ncarried);
		cw_diag_uncarried_passthrough(s, e->rec, BIBTEX_PASSTHROUGH);
		if (e->unmapped)
			cw_diag_emit(
			    s, CW_SEV_WARNING, CW_OK, 0, 0,
			    "%zu character(s) have no ASCII LaTeX form and are written as UTF-8",
			    e->unmapped);
	}
	return rc;
}

static int write_record(void *state, cw_session *s, const cw_record *rec)
{
	writer *w = state;
	cw_buf_clear(&w->buf);
	int rc = make_key(w, rec);
	if (rc)
		return rc;
	cw_session_set_record(s, cw_buf_str(&w->key));
	w->fell_back = 0;
	entry e = {.s = s, .rec = rec, .type = entry_type(w, rec), .it = cw_record_type(rec)};
	e.classic = w->dialect == BIBTEX_DIALECT_BIBTEX;
	report_type(w, &e);
	rc = open_entry(w, e.type);
	size_t header_len = w->buf.len;
	w->count++;
	start_entry(w, &e);
	for (size_t ri = 0; ri < w->nrows && rc == CW_OK; ri++)
		rc = put_row(w, &e, &w->map.fields[w->rows[ri]]);
	if (e.restructured)
		cw_diag_loss(s, rec, CW_FIELD_VOLUME_TITLE, CW_LOSS_DEGRADED,
		             "a volume of a multi-volume work: its title written as title, "
		             "the work's as %s",
		             w->series.len ? "series" : "the start of the title");
	carry_page_first(&e);
	if (rc == CW_OK)
		rc = put_entrysubtype(w, &e);
	report_renamed(&e);
	if (rc == CW_OK)
		rc = put_passthrough(w, &e);
	if (rc == CW_OK)
		rc = put_sort_key(w, &e);
	if (rc == CW_OK)
		rc = close_entry(w, &e, header_len);
	cw_session_set_record(s, NULL);
	return rc;
}

static int end_writer(void *state, cw_session *s)
{
	writer *w = state;
	(void)s;
	return cw_ostream_flush(w->out);
}

static void close_writer(void *state, cw_session *s)
{
	writer *w = state;
	(void)s;
	cw_keyset_free(w->used);
	cw_buf_free(&w->buf);
	cw_buf_free(&w->val);
	cw_buf_free(&w->key);
	cw_buf_free(&w->text);
	cw_buf_free(&w->series);
	free(w->rows);
	bibtex_map_free(&w->map);
}

const cw_writer_ops bibtex_writer_ops = {
    .struct_size = sizeof(cw_writer_ops),
    .state_size = sizeof(writer),
    .begin = begin_bibtex,
    .write = write_record,
    .end = end_writer,
    .close = close_writer,
};

const cw_writer_ops biblatex_writer_ops = {
    .struct_size = sizeof(cw_writer_ops),
    .state_size = sizeof(writer),
    .begin = begin_biblatex,
    .write = write_record,
    .end = end_writer,
    .close = close_writer,
};
