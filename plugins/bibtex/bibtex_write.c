/*
 * The BibTeX and BibLaTeX writers: one entry per record, fields in the
 * mapping table's order, then the record's own BibTeX passthrough fields;
 * citation keys kept or generated and made unique; everything the dialect
 * cannot carry reported.
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
	/* keys used so far (lower-case), open addressing */
	char **used;
	size_t used_size, used_count;
	uint64_t count;
	int fell_back;       /* this record's type was replaced by misc */
	size_t npt;          /* this record's BibTeX passthrough fields */
	uint32_t *rows;      /* indices of the rows this dialect writes, in order */
	uint64_t *type_mask; /* per row: the CSL types it applies to */
	size_t nrows;
	unsigned editor_slots; /* this record's editor fields taken by role rows */
} writer;

static const char *const month_macros[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                             "jul", "aug", "sep", "oct", "nov", "dec"};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int used_has(const writer *w, const char *k)
{
	if (!w->used_size)
		return 0;
	size_t mask = w->used_size - 1;
	for (size_t i = hash_str(k) & mask; w->used[i]; i = (i + 1) & mask)
		if (strcmp(w->used[i], k) == 0)
			return 1;
	return 0;
}

static int used_add(writer *w, const char *k)
{
	if ((w->used_count + 1) * 2 > w->used_size) {
		size_t ns = w->used_size ? w->used_size * 2 : 256;
		char **nu = calloc(ns, sizeof *nu);
		if (!nu)
			return CW_ENOMEM;
		for (size_t i = 0; i < w->used_size; i++) {
			if (!w->used[i])
				continue;
			size_t j = hash_str(w->used[i]) & (ns - 1);
			while (nu[j])
				j = (j + 1) & (ns - 1);
			nu[j] = w->used[i];
		}
		free(w->used);
		w->used = nu;
		w->used_size = ns;
	}
	size_t mask = w->used_size - 1;
	size_t i = hash_str(k) & mask;
	while (w->used[i])
		i = (i + 1) & mask;
	w->used[i] = strdup(k);
	if (!w->used[i])
		return CW_ENOMEM;
	w->used_count++;
	return CW_OK;
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
	int rc = bibtex_map_load(&w->map, s);
	if (rc)
		return rc;
	/* the rows of this dialect, with their type lists as bit masks */
	w->rows = calloc(w->map.nfields ? w->map.nfields : 1, sizeof *w->rows);
	w->type_mask = calloc(w->map.nfields ? w->map.nfields : 1, sizeof *w->type_mask);
	if (!w->rows || !w->type_mask)
		return CW_ENOMEM;
	for (size_t i = 0; i < w->map.nfields; i++) {
		const bibtex_field_row *r = &w->map.fields[i];
		if (!(r->dir & BIBTEX_OUT) || !(r->dialect & dialect))
			continue;
		uint64_t mask = 0;
		for (int t = 1; t < CW_TYPE_COUNT_ && t < 64; t++) {
			const char *name = cw_item_type_name((enum cw_item_type)t);
			if (!r->types || (name && bibtex_list_has(r->types, name, strlen(name))))
				mask |= (uint64_t)1 << t;
		}
		w->type_mask[w->nrows] = mask;
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

static int valid_key(const char *k)
{
	if (!k || !*k)
		return 0;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++) {
		if (*p <= ' ' || *p == 0x7f || strchr(",{}()\"#%'=\\~", *p))
			return 0;
	}
	return 1;
}

static void generate_key(writer *w, const cw_record *rec, cw_buf *key)
{
	cw_record_make_key(
	    rec, w->keys == KEYS_AUTH_YEAR ? CW_KEY_AUTH_YEAR : CW_KEY_AUTH_YEAR_TITLE, key);
}

static int make_key(writer *w, const cw_record *rec)
{
	cw_buf *key = &w->key;
	cw_buf_clear(key);
	const char *src = cw_record_text(rec, CW_FIELD_CITATION_KEY);
	if (!valid_key(src))
		src = cw_record_text(rec, CW_FIELD_ID);
	if (w->keys == KEYS_SOURCE && valid_key(src))
		cw_buf_append(key, src, CW_NUL);
	else
		generate_key(w, rec, key);
	/* unique, case-insensitively as bibtex compares keys */
	cw_buf low = CW_BUF_INIT;
	size_t base = key->len;
	for (int suffix = 0;; suffix++) {
		cw_buf_clear(&low);
		key->len = base;
		key->data[base] = '\0';
		if (suffix) {
			/* a..z, then aa, ab, ... */
			char sfx[8];
			int k = 0, v = suffix;
			char tmp[8];
			while (v > 0 && k < 6) {
				v--;
				tmp[k++] = (char)('a' + v % 26);
				v /= 26;
			}
			for (int i = 0; i < k; i++)
				sfx[i] = tmp[k - 1 - i];
			cw_buf_append(key, sfx, (size_t)k);
		}
		for (size_t i = 0; i < key->len; i++) {
			char c = key->data[i];
			cw_buf_putc(&low, (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c);
		}
		if (!used_has(w, cw_buf_str(&low)))
			break;
		if (suffix == 0 && w->keys == KEYS_SOURCE && valid_key(src))
			cw_diag_emit(w->s, CW_SEV_WARNING, CW_OK, 0, 0,
			             "citation key '%s' already written; a suffix makes it unique",
			             src);
	}
	int rc = used_add(w, cw_buf_str(&low));
	cw_buf_free(&low);
	return rc;
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
		return CW_EINVAL;
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
		if (miss) {
			cw_diag_not_carried(w->s, rec, CW_FIELD_NONE,
			                    "entry type @%s (it needs %s; written as @misc)", t,
			                    miss);
			w->fell_back = 1;
			return "misc";
		}
	}
	return t;
}

static const char *entry_type_wanted(writer *w, const cw_record *rec)
{
	enum cw_item_type t = cw_record_type(rec);
	const cw_passthrough *pt = cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, "entrytype");
	if (pt && valid_key(pt->value)) {
		/* the source's own type, when it still says what the record is */
		size_t n = strlen(pt->value);
		const bibtex_type_row *r = bibtex_map_type_in(&w->map, pt->value, n);
		enum cw_item_type rt = r ? r->csl : CW_TYPE_DOCUMENT;
		if (rt == t || (t == CW_TYPE_ARTICLE_MAGAZINE || t == CW_TYPE_ARTICLE_NEWSPAPER)) {
			if (w->dialect == BIBTEX_DIALECT_BIBLATEX || bibtex_classic_type(pt->value))
				return pt->value;
		}
	}
	return bibtex_type_out(&w->map, rec, w->dialect);
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
	return put_text(w, "type", g, 0, NULL);
}

/*
 * The field name a row writes under: its own, unless the record keeps a
 * passthrough field of that name (then another name of the same canonical
 * field, so that both survive); NULL if every name is taken.
 */
static const char *out_name(writer *w, const cw_record *rec, const bibtex_field_row *r)
{
	if (!w->npt)
		return r->bib;
	if (!cw_record_has(rec, r->field) && r->field != CW_FIELD_ISSUE &&
	    r->field != CW_FIELD_NUMBER && r->field != CW_FIELD_COLLECTION_NUMBER)
		return r->bib;
	/* the best reading priority of a kept field that reads into the same field */
	int min = -1;
	size_t np = cw_record_passthrough_count(rec);
	int own_taken = 0;
	for (size_t i = 0; i < np; i++) {
		const cw_passthrough *pt = cw_record_passthrough(rec, i);
		if (strcmp(pt->format, BIBTEX_PASSTHROUGH) != 0)
			continue;
		if (strcmp(pt->name, r->bib) == 0)
			own_taken = 1;
		int row = bibtex_map_field_in(&w->map, pt->name, strlen(pt->name));
		if (row >= 0 && w->map.fields[row].field == r->field && (min < 0 || row < min))
			min = row;
	}
	int own = bibtex_map_field_in(&w->map, r->bib, strlen(r->bib));
	if (!own_taken && (min < 0 || (own >= 0 && own < min)))
		return r->bib;
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
	return r->bib; /* the kept field is then reported as not carried */
}

/* bibtex_roles_write's put: a field, remembered as written */
typedef struct role_put {
	writer *w;
	const char **names;
	size_t *nnames;
} role_put;

static int put_role_field(void *ctx, const char *name, const char *value, size_t len)
{
	role_put *p = ctx;
	if (*p->nnames < 120)
		p->names[(*p->nnames)++] = name;
	return put_field(p->w, name, value, len, 1);
}

static int write_record(void *state, cw_session *s, const cw_record *rec)
{
	writer *w = state;
	cw_buf *b = &w->buf;
	cw_buf_clear(b);
	int rc = make_key(w, rec);
	if (rc)
		return rc;
	cw_session_set_record(s, cw_buf_str(&w->key));
	w->fell_back = 0;
	const char *type = entry_type(w, rec);
	enum cw_item_type it = cw_record_type(rec);
	{
		const cw_passthrough *et =
		    cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, "entrytype");
		if (et && strcmp(et->value, type) != 0)
			cw_diag_not_carried(s, rec, CW_FIELD_NONE,
			                    "%s:entrytype (@%s written as @%s)", BIBTEX_PASSTHROUGH,
			                    et->value, type);
	}
	if (it == CW_TYPE_THESIS && w->dialect == BIBTEX_DIALECT_BIBTEX &&
	    !cw_record_has(rec, CW_FIELD_GENRE))
		cw_diag_not_carried(
		    s, rec, CW_FIELD_NONE,
		    "type thesis without a genre (BibTeX has no generic thesis: @%s)", type);
	{
		/* a type the dialect has no entry type for is a loss: say so */
		const bibtex_type_row *back = bibtex_map_type_in(&w->map, type, strlen(type));
		enum cw_item_type bt = back ? back->csl : CW_TYPE_DOCUMENT;
		if (it != CW_TYPE_UNSET && bt != it &&
		    !(bt == CW_TYPE_ARTICLE_JOURNAL &&
		      (it == CW_TYPE_ARTICLE_MAGAZINE || it == CW_TYPE_ARTICLE_NEWSPAPER) &&
		      w->dialect == BIBTEX_DIALECT_BIBLATEX))
			cw_diag_not_carried(s, rec, CW_FIELD_NONE, "type %s (written as @%s)",
			                    cw_item_type_name(it), type);
	}
	rc = w->count ? cw_buf_putc(b, '\n') : CW_OK;
	if (rc == CW_OK)
		rc = cw_buf_putc(b, '@');
	if (rc == CW_OK)
		rc = cw_buf_append(b, type, CW_NUL);
	if (rc == CW_OK)
		rc = cw_buf_putc(b, '{');
	if (rc == CW_OK)
		rc = cw_buf_append(b, cw_buf_str(&w->key), CW_NUL);
	size_t header_len = b->len;
	w->count++;
	enum cw_field carried[CW_FIELD_COUNT_ + 8];
	size_t ncarried = 0;
	unsigned char done[CW_FIELD_COUNT_ + 1] = {0};
	carried[ncarried++] = CW_FIELD_ID;
	carried[ncarried++] = CW_FIELD_CITATION_KEY;
	/* names of fields written, to keep passthrough from writing them twice */
	const char *names_written[256];
	size_t nnames = 0;
	size_t unmapped = 0;
	int protect = !is_bibtex_source(rec);
	w->npt = 0;
	w->editor_slots = 0;
	{
		/* what the reader derives from other fields (arXiv's number...) is not written */
		enum cw_field derived[4];
		size_t nd = bibtex_derived_fields(rec, derived);
		for (size_t i = 0; i < nd; i++) {
			done[derived[i]] = 1;
			carried[ncarried++] = derived[i];
		}
	}
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++)
		w->npt += strcmp(cw_record_passthrough(rec, i)->format, BIBTEX_PASSTHROUGH) == 0;
	for (size_t ri = 0; ri < w->nrows && rc == CW_OK; ri++) {
		const bibtex_field_row *r = &w->map.fields[w->rows[ri]];
		if (it > 0 && it < 64 && !(w->type_mask[ri] & ((uint64_t)1 << it)))
			continue;
		if (it == CW_TYPE_UNSET && r->types)
			continue;
		if (done[r->field] && !r->role)
			continue; /* role rows share a field (contributor) */
		enum cw_field f = r->field;
		int wrote = 0;
		const char *bibname = out_name(w, rec, r);
		if (!bibname)
			continue;
		if (strcmp(bibname, "howpublished") == 0) {
			/* a publisher that looks like a URL would read back as the URL */
			const char *v = cw_record_text(rec, f);
			if (v && bibtex_looks_like_url(v, strlen(v)))
				bibname = "publisher";
		}
		switch (r->conv) {
		case BIBTEX_CONV_NAMES:
			if (!cw_record_name_count(rec, f))
				break;
			if (r->role) {
				role_put rp = {w, names_written, &nnames};
				rc = bibtex_roles_write(&w->map, r, w->dialect, s, rec,
				                        &w->editor_slots, &w->val, w->ascii,
				                        put_role_field, &rp, &unmapped, &wrote);
				bibname = NULL; /* remembered by put_role_field */
				break;
			}
			if (w->dialect == BIBTEX_DIALECT_BIBTEX) {
				for (size_t k = 0; k < cw_record_name_count(rec, f); k++)
					if (cw_record_name(rec, f, k)->dropping_particle) {
						cw_diag_not_carried(
						    s, rec, f,
						    "a dropping particle is written as a von part");
						break;
					}
			}
			cw_buf_clear(&w->val);
			rc = bibtex_names_write(&w->val, rec, f, w->ascii,
			                        w->dialect == BIBTEX_DIALECT_BIBLATEX, &unmapped);
			if (rc == CW_OK)
				rc = put_field(w, bibname, cw_buf_str(&w->val), w->val.len, 1);
			wrote = 1;
			break;
		case BIBTEX_CONV_DATE: {
			const cw_date *d = cw_record_date(rec, f);
			if (!d)
				break;
			if (d->parts || d->end_parts) {
				rc = put_date(w, bibname, d);
				wrote = rc == CW_OK;
				if (rc == CW_EINVAL)
					rc = CW_OK;
			} else if (d->literal && f == CW_FIELD_ISSUED) {
				/* unparsed: back into the field it came from (year unless date) */
				int as_date = d->extra_format &&
				              strcmp(d->extra_format, BIBTEX_PASSTHROUGH) == 0 &&
				              d->extra && strcmp(d->extra, "date") == 0;
				rc = put_text(w, as_date ? "date" : "year", d->literal, 0,
				              &unmapped);
				names_written[nnames++] = as_date ? "date" : "year";
				wrote = 1;
			} else if (d->literal) {
				rc = put_text(w, bibname, d->literal, 0, &unmapped);
				wrote = 1;
			}
			break;
		}
		case BIBTEX_CONV_YEAR: {
			const cw_date *d = cw_record_date(rec, f);
			if (!d)
				break;
			if (!d->parts && d->literal) {
				/* unparsed: back into the field it came from */
				int as_date = d->extra_format &&
				              strcmp(d->extra_format, BIBTEX_PASSTHROUGH) == 0 &&
				              d->extra && strcmp(d->extra, "date") == 0;
				rc = put_text(w, as_date ? "date" : bibname, d->literal, 0,
				              &unmapped);
				if (as_date)
					names_written[nnames++] = "date";
				wrote = 1;
				break;
			}
			if (!d->parts)
				break;
			char y[32];
			int n = snprintf(y, sizeof y, "%d", (int)d->year);
			rc = put_field(w, "year", y, (size_t)n, 1);
			if (rc == CW_OK && d->parts >= 2 && d->month >= 1 && d->month <= 12 &&
			    !d->end_parts) {
				rc = put_field(w, "month", month_macros[d->month - 1], 3, 0);
				names_written[nnames++] = "month";
			}
			if (rc == CW_OK && date_needs_full(d)) {
				/* bibtex ignores date; biblatex-aware readers (and ours) take it */
				rc = put_date(w, "date", d);
				names_written[nnames++] = "date";
			}
			wrote = 1;
			break;
		}
		case BIBTEX_CONV_MONTH:
		case BIBTEX_CONV_DAY:
			break;
		case BIBTEX_CONV_NUMBER: {
			const char *v = cw_record_text(rec, f);
			if (!v)
				break;
			rc = put_text(w, bibname, v, 0, &unmapped);
			wrote = 1;
			break;
		}
		case BIBTEX_CONV_PAGES: {
			const char *v = cw_record_text(rec, f);
			if (!v)
				break;
			cw_buf pg = CW_BUF_INIT;
			for (const char *p = v; *p; p++) {
				if (*p == '-' && p[1] != '-' && (p == v || p[-1] != '-'))
					cw_buf_append(&pg, "--", 2);
				else
					cw_buf_putc(&pg, *p);
			}
			rc = put_text(w, bibname, cw_buf_str(&pg), 0, &unmapped);
			/* put_text escapes nothing in "--" */
			cw_buf_free(&pg);
			wrote = 1;
			break;
		}
		case BIBTEX_CONV_VERBATIM:
		case BIBTEX_CONV_DOI:
		case BIBTEX_CONV_ISBN:
		case BIBTEX_CONV_ISSN: {
			const char *v = cw_record_text(rec, f);
			if (!v)
				break;
			rc = put_verbatim(w, bibname, v);
			wrote = 1;
			break;
		}
		case BIBTEX_CONV_LIST: {
			if (!cw_record_item_count(rec, f))
				break;
			cw_buf list = CW_BUF_INIT; /* put_text encodes into w->val */
			rc = cw_record_join_items(rec, f, &list);
			if (rc == CW_OK)
				rc = put_text(w, bibname, cw_buf_str(&list), 0, &unmapped);
			cw_buf_free(&list);
			wrote = 1;
			break;
		}
		case BIBTEX_CONV_EPRINT: {
			const char *v = cw_record_text(rec, f);
			if (!v)
				break;
			rc = put_verbatim(w, bibname, v);
			if (rc == CW_OK) {
				if (w->dialect == BIBTEX_DIALECT_BIBLATEX) {
					rc = put_field(w, "eprinttype", "arxiv", 5, 1);
					names_written[nnames++] = "eprinttype";
				} else {
					rc = put_field(w, "archiveprefix", "arXiv", 5, 1);
					names_written[nnames++] = "archiveprefix";
				}
			}
			wrote = 1;
			break;
		}
		default: {
			if (f == CW_FIELD_GENRE) {
				rc = genre_field(w, rec, &wrote);
				break;
			}
			const char *v = cw_record_text(rec, f);
			if (!v)
				break;
			int prot = protect && r->conv == BIBTEX_CONV_RICH &&
			           strstr(bibname, "title") != NULL;
			rc = put_text(w, bibname, v, prot, &unmapped);
			wrote = 1;
			break;
		}
		}
		if (wrote) {
			if (!done[f])
				carried[ncarried++] = f;
			done[f] = 1;
			if (nnames < 120 && bibname)
				names_written[nnames++] = bibname;
		}
	}
	/* page-first is the start of the page range written in "pages": carried */
	const char *pg = cw_record_text(rec, CW_FIELD_PAGE);
	const char *pf = cw_record_text(rec, CW_FIELD_PAGE_FIRST);
	if (pg && pf && done[CW_FIELD_PAGE] && !done[CW_FIELD_PAGE_FIRST] &&
	    strncmp(pg, pf, strlen(pf)) == 0 &&
	    (pg[strlen(pf)] == '\0' || strchr("-\xE2, ", pg[strlen(pf)]))) {
		done[CW_FIELD_PAGE_FIRST] = 1;
		carried[ncarried++] = CW_FIELD_PAGE_FIRST;
	}
	if (rc == CW_OK && w->dialect == BIBTEX_DIALECT_BIBLATEX &&
	    (it == CW_TYPE_ARTICLE_MAGAZINE || it == CW_TYPE_ARTICLE_NEWSPAPER) &&
	    strcmp(type, "article") == 0) {
		rc = put_field(w, "entrysubtype",
		               it == CW_TYPE_ARTICLE_MAGAZINE ? "magazine" : "newspaper",
		               it == CW_TYPE_ARTICLE_MAGAZINE ? 8 : 9, 1);
		names_written[nnames++] = "entrysubtype";
	}
	if (rc == CW_OK && w->fell_back && !cw_record_has(rec, CW_FIELD_AUTHOR) &&
	    !cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, "key")) {
		/* @misc sorts by author or key: give it the key the original type would use */
		const cw_name *ed = cw_record_name(rec, CW_FIELD_EDITOR, 0);
		const char *k = ed ? (ed->family ? ed->family : ed->literal) : NULL;
		if (k) {
			rc = put_text(w, "key", k, 0, &unmapped);
			names_written[nnames++] = "key";
		}
	}
	/* the record's own BibTeX fields */
	size_t np = cw_record_passthrough_count(rec);
	for (size_t i = 0; i < np && rc == CW_OK; i++) {
		const cw_passthrough *pt = cw_record_passthrough(rec, i);
		if (strcmp(pt->format, BIBTEX_PASSTHROUGH) != 0 ||
		    strcmp(pt->name, "entrytype") == 0)
			continue;
		int dup = 0;
		for (size_t k = 0; k < nnames && !dup; k++)
			dup = strcmp(names_written[k], pt->name) == 0;
		if (dup || !valid_key(pt->name) || !balanced(pt->value)) {
			cw_diag_not_carried(
			    s, rec, CW_FIELD_NONE, "%s:%s (%s)", BIBTEX_PASSTHROUGH, pt->name,
			    dup ? "a mapped field of that name was written" : "not valid BibTeX");
			continue;
		}
		rc = put_field(w, pt->name, pt->value, strlen(pt->value), 1);
	}
	if (rc == CW_OK && b->len == header_len)
		rc = cw_buf_putc(b, ','); /* "@misc{key,}": btparse wants the comma */
	if (rc == CW_OK)
		rc = cw_buf_append(b, "\n}\n", 3);
	if (rc == CW_OK)
		rc = cw_ostream_write(w->out, b->data, b->len);
	if (rc == CW_OK) {
		cw_diag_uncarried(s, rec, carried, ncarried);
		cw_diag_uncarried_passthrough(s, rec, BIBTEX_PASSTHROUGH);
		if (unmapped)
			cw_diag_emit(
			    s, CW_SEV_WARNING, CW_OK, 0, 0,
			    "%zu character(s) have no ASCII LaTeX form and are written as UTF-8",
			    unmapped);
	}
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
	for (size_t i = 0; i < w->used_size; i++)
		free(w->used[i]);
	free(w->used);
	cw_buf_free(&w->buf);
	cw_buf_free(&w->val);
	cw_buf_free(&w->key);
	free(w->rows);
	free(w->type_mask);
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
