/*
 * BibTeX name lists: "and" at brace level 0, "and others", biblatex's
 * extended name format ("family=..., given=..., prefix=...,
 * useprefix=..."), and the LaTeX in each part. The three forms ("First von
 * Last", "von Last, First", "von Last, Jr, First") and braced corporate
 * names are split by the core (cw_name_split, CW_NAME_PARSE_BIBTEX).
 */
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"

typedef struct span {
	const char *p;
	size_t n;
} span;

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Bytes the list scan below acts on: braces and white space. */
static const unsigned char name_special[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['{'] = 1, ['}'] = 1,
};

static const char *skip_plain(const char *p, const char *end)
{
	while (p < end && !name_special[(unsigned char)*p])
		p++;
	return p;
}

static int ascii_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int ascii_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static span trim(span x)
{
	while (x.n && is_ws(*x.p)) {
		x.p++;
		x.n--;
	}
	while (x.n && is_ws(x.p[x.n - 1]))
		x.n--;
	return x;
}

/* Decodes bytes s[x.off..) as they stand into buf; returns offset+1, or 0 if empty. */
static size_t put_raw(bibtex_latex *lx, cw_buf *buf, const char *s, cw_name_span x, uint32_t line,
                      uint32_t col)
{
	if (!x.len)
		return 0;
	size_t off = buf->len;
	bibtex_latex_decode(lx, buf, s + x.off, x.len, BIBTEX_LATEX_NAME, line, col);
	cw_buf_putc(buf, '\0');
	return off + 1;
}

static size_t put_span(bibtex_latex *lx, cw_buf *buf, span x, uint32_t line, uint32_t col)
{
	x = trim(x);
	/* one pair of enclosing braces around a whole extended-format value */
	if (x.n >= 2 && x.p[0] == '{' && x.p[x.n - 1] == '}') {
		int depth = 0;
		size_t i = 0;
		for (; i < x.n; i++) {
			if (x.p[i] == '{')
				depth++;
			else if (x.p[i] == '}' && --depth == 0)
				break;
		}
		if (i == x.n - 1) {
			x.p++;
			x.n -= 2;
		}
	}
	if (!x.n)
		return 0;
	size_t off = buf->len;
	bibtex_latex_decode(lx, buf, x.p, x.n, BIBTEX_LATEX_NAME, line, col);
	cw_buf_putc(buf, '\0');
	return off + 1;
}

#define STR(off) ((off) ? pb->data + (off)-1 : NULL)

static int is_key(span k, const char *name)
{
	size_t l = strlen(name);
	if (k.n != l)
		return 0;
	for (size_t i = 0; i < l; i++) {
		char c = k.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != name[i])
			return 0;
	}
	return 1;
}

/*
 * The comma-separated parts of an extended name at brace level 0, as biber
 * splits them (a part may be double-quoted: "given={John R.}"); the last
 * part takes the rest when there are more than max.
 */
static size_t split_xparts(const char *s, size_t n, span *out, size_t max)
{
	size_t count = 0;
	int depth = 0, quoted = 0;
	const char *start = s;
	for (const char *p = s; p <= s + n; p++) {
		if (p < s + n) {
			if (*p == '{')
				depth++;
			else if (*p == '}' && depth > 0)
				depth--;
			else if (*p == '"' && depth == 0)
				quoted = !quoted;
		}
		if (p == s + n || (depth == 0 && !quoted && *p == ',' && count + 1 < max)) {
			out[count].p = start;
			out[count].n = (size_t)(p - start);
			count++;
			start = p + 1;
		}
	}
	return count;
}

/* 1 if k is a word of letters and '-' (a biblatex name-part or option key). */
static int is_key_word(span k)
{
	if (!k.n)
		return 0;
	for (size_t i = 0; i < k.n; i++)
		if (!ascii_lower(k.p[i]) && !ascii_upper(k.p[i]) && k.p[i] != '-')
			return 0;
	return 1;
}

/*
 * biblatex extended name format; returns 1 if s was one. strict (a name
 * written whole in braces) also asks every key to be a word and a family or
 * given part, so that "{Society for A=B}" stays a literal name.
 */
static int read_extended(bibtex_latex *lx, cw_record *rec, enum cw_field f, span s, int strict,
                         const char *role, uint32_t line, uint32_t col, int *rc)
{
	span parts[16];
	size_t np = split_xparts(s.p, s.n, parts, 16);
	/* every part must be key=value */
	size_t eq[16];
	int named = 0;
	for (size_t i = 0; i < np; i++) {
		span t = trim(parts[i]);
		if (t.n >= 2 && t.p[0] == '"' && t.p[t.n - 1] == '"') {
			t.p++;
			t.n -= 2;
		}
		size_t j = 0;
		int depth = 0;
		for (; j < t.n; j++) {
			if (t.p[j] == '{')
				depth++;
			else if (t.p[j] == '}')
				depth--;
			else if (t.p[j] == '=' && depth == 0)
				break;
		}
		if (j == t.n || j == 0)
			return 0;
		span k = trim((span){t.p, j});
		if (strict && !is_key_word(k))
			return 0;
		named |= is_key(k, "family") || is_key(k, "given");
		parts[i] = t;
		eq[i] = j;
	}
	if (strict && !named)
		return 0;
	cw_buf *pb = &lx->parts;
	cw_buf_clear(pb);
	size_t family = 0, given = 0, prefix = 0, suffix = 0;
	int useprefix = -1;
	for (size_t i = 0; i < np; i++) {
		span k = trim((span){parts[i].p, eq[i]});
		span v = {parts[i].p + eq[i] + 1, parts[i].n - eq[i] - 1};
		if (is_key(k, "family"))
			family = put_span(lx, pb, v, line, col);
		else if (is_key(k, "given"))
			given = put_span(lx, pb, v, line, col);
		else if (is_key(k, "prefix"))
			prefix = put_span(lx, pb, v, line, col);
		else if (is_key(k, "suffix"))
			suffix = put_span(lx, pb, v, line, col);
		else if (is_key(k, "useprefix")) {
			span t = trim(v);
			useprefix = t.n >= 4 && (t.p[0] == 't' || t.p[0] == 'T');
		}
		/* giveni, familyi... (initials) and other keys are derived data: ignored */
	}
	cw_name n = CW_NAME_INIT;
	n.family = STR(family);
	n.given = STR(given);
	n.suffix = STR(suffix);
	n.role = role;
	if (useprefix == 0)
		n.dropping_particle = STR(prefix);
	else
		n.non_dropping_particle = STR(prefix);
	if (n.family || n.given || n.suffix || n.dropping_particle || n.non_dropping_particle)
		*rc = cw_record_add_name(rec, f, &n);
	return 1;
}

/*
 * One name in classic BibTeX form: the core splits it by BibTeX's rules
 * (cw_name_split with CW_NAME_PARSE_BIBTEX); here are "others", biblatex's
 * extended form and the LaTeX in each part.
 */
static int read_one(bibtex_latex *lx, cw_record *rec, enum cw_field f, span s, const char *role,
                    uint32_t line, uint32_t col)
{
	s = trim(s);
	if (!s.n)
		return CW_OK;
	cw_name n = CW_NAME_INIT;
	if (s.n == 6 && is_key(s, "others")) {
		n.flags = CW_NAME_ETAL;
		return cw_record_add_name(rec, f, &n);
	}
	n.role = role;
	/* extended format: key=value at level 0 */
	if (memchr(s.p, '=', s.n)) {
		int depth = 0;
		for (size_t i = 0; i < s.n; i++) {
			if (s.p[i] == '{')
				depth++;
			else if (s.p[i] == '}')
				depth--;
			else if (s.p[i] == '=' && depth == 0) {
				int rc = CW_OK;
				if (read_extended(lx, rec, f, s, 0, role, line, col, &rc))
					return rc;
				break;
			}
		}
	}
	cw_name_parts np = CW_NAME_PARTS_INIT;
	if (cw_name_split(&np, s.p, s.n, CW_NAME_PARSE_BIBTEX, NULL, NULL) != CW_OK)
		return CW_OK; /* only commas */
	cw_buf *pb = &lx->parts;
	cw_buf_clear(pb);
	if (np.literal.len) {
		span w = {s.p + np.literal.off, np.literal.len};
		/* {given={David}, family={Spoel}, ...}: an extended name in braces,
		 * as Better BibTeX writes them; biber reads it as one */
		span in = {w.p + 1, w.n - 2};
		if (memchr(in.p, '=', in.n)) {
			int rc = CW_OK;
			if (read_extended(lx, rec, f, in, 1, role, line, col, &rc))
				return rc;
			cw_buf_clear(pb);
		}
		/* {World Health Organization}: a literal name */
		size_t lit = put_span(lx, pb, w, line, col);
		if (cw_buf_error(pb))
			return CW_ENOMEM;
		n.literal = STR(lit);
		return n.literal ? cw_record_add_name(rec, f, &n) : CW_OK;
	}
	/* "First von Last" as written; after a comma the parts lose their
	 * enclosing braces (put_span) */
	size_t first = 0, von, last, jr = 0;
	if (np.commas == 0)
		first = put_raw(lx, pb, s.p, np.given, line, col);
	von = put_raw(lx, pb, s.p, np.particle, line, col);
	last = put_raw(lx, pb, s.p, np.family, line, col);
	if (np.commas > 0) {
		if (np.suffix.len)
			jr =
			    put_span(lx, pb, (span){s.p + np.suffix.off, np.suffix.len}, line, col);
		if (np.given.len)
			first =
			    put_span(lx, pb, (span){s.p + np.given.off, np.given.len}, line, col);
	}
	if (cw_buf_error(pb))
		return CW_ENOMEM; /* a part was not decoded whole */
	n.given = STR(first);
	n.non_dropping_particle = STR(von);
	n.family = STR(last);
	n.suffix = STR(jr);
	if (n.given && !*n.given)
		n.given = NULL;
	if (n.family && !*n.family)
		n.family = NULL;
	int rc = CW_OK;
	if (!n.family && !n.given && n.non_dropping_particle) {
		n.family = n.non_dropping_particle;
		n.non_dropping_particle = NULL;
	}
	if (n.family || n.given || n.suffix)
		rc = cw_record_add_name(rec, f, &n);
	return rc;
}

int bibtex_names_read(bibtex_latex *lx, cw_record *rec, enum cw_field f, const char *s, size_t len,
                      const char *role, uint32_t max_names, uint32_t line, uint32_t col)
{
	int depth = 0;
	const char *start = s, *end = s + len;
	uint32_t count = 0;
	int rc = CW_OK;
	for (const char *p = s; p <= end; p++) {
		int split = 0;
		size_t skip = 0;
		p = skip_plain(p, end);
		if (p == end) {
			split = 1;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}') {
			if (depth > 0)
				depth--;
		} else if (depth == 0 && is_ws(*p) && p + 4 < end && (p[1] == 'a' || p[1] == 'A') &&
		           (p[2] == 'n' || p[2] == 'N') && (p[3] == 'd' || p[3] == 'D') &&
		           is_ws(p[4])) {
			split = 1;
			skip = 4;
		}
		if (!split)
			continue;
		if (++count > max_names) {
			cw_session_limit_diag(
			    lx->s, CW_SEV_WARNING, CW_ELIMIT, CW_LIMIT_NAMES, line, col,
			    "more than %u names in one list (the names limit); the "
			    "rest are dropped",
			    max_names);
			return CW_OK;
		}
		rc = read_one(lx, rec, f, (span){start, (size_t)(p - start)}, role, line, col);
		if (rc < 0)
			return rc;
		if (p == end)
			break;
		/* the blank after "and" may begin the next " and " ("A and and B") */
		start = p + skip;
		p += skip - 1;
	}
	return rc < 0 ? rc : CW_OK;
}

/* --- writing ----------------------------------------------------------- */

/* 1 if a name part must be braced to read back as one part. */
static int needs_braces(const char *s, int is_family)
{
	if (strchr(s, ','))
		return 1;
	const char *p = s;
	int words = 0, lower_word = 0;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		words++;
		uint32_t cp;
		cw_utf8_decode(p, strlen(p), &cp);
		if (cw_utf8_case(cp) == 1)
			lower_word = 1;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		if ((size_t)(q - p) == 3 && (p[0] == 'a' || p[0] == 'A') &&
		    (p[1] == 'n' || p[1] == 'N') && (p[2] == 'd' || p[2] == 'D'))
			return 1;
		p = q;
	}
	return is_family && words > 1 && lower_word;
}

static int put_part(cw_buf *out, const char *s, int brace, int ascii, size_t *unmapped)
{
	int rc = CW_OK;
	if (brace)
		rc = cw_buf_putc(out, '{');
	if (rc == CW_OK)
		rc = bibtex_latex_encode(out, s, ascii, 0, unmapped);
	if (rc == CW_OK && brace)
		rc = cw_buf_putc(out, '}');
	return rc;
}

static int write_one(cw_buf *out, const cw_name *n, int ascii, int extended, size_t *unmapped)
{
	int rc = CW_OK;
	if (n->flags & CW_NAME_ETAL)
		return cw_buf_append(out, "others", 6);
	if (n->literal || (!n->family && !n->given)) {
		const char *lit = n->literal ? n->literal : n->suffix ? n->suffix : "";
		return put_part(out, lit, 1, ascii, unmapped);
	}
	if (extended && n->dropping_particle) {
		const struct {
			const char *key, *val;
		} kv[] = {{"family", n->family},
		          {"given", n->given},
		          {"prefix", n->dropping_particle},
		          {"suffix", n->suffix}};
		int firstkv = 1;
		for (size_t i = 0; i < 4 && rc == CW_OK; i++) {
			if (!kv[i].val)
				continue;
			rc = cw_buf_printf(out, "%s%s=", firstkv ? "" : ", ", kv[i].key);
			if (rc == CW_OK)
				rc = put_part(out, kv[i].val, 1, ascii, unmapped);
			firstkv = 0;
		}
		if (rc == CW_OK)
			rc = cw_buf_append(out, ", useprefix=false", CW_NUL);
		return rc;
	}
	const char *von =
	    n->non_dropping_particle ? n->non_dropping_particle : n->dropping_particle;
	if (von) {
		rc = put_part(out, von, strchr(von, ',') != NULL, ascii, unmapped);
		if (rc == CW_OK)
			rc = cw_buf_putc(out, ' ');
	}
	if (rc == CW_OK && n->family)
		rc = put_part(out, n->family,
		              needs_braces(n->family, 1) ||
		                  (!von && !n->given && !n->suffix && strchr(n->family, ' ')),
		              ascii, unmapped);
	else if (rc == CW_OK)
		rc = cw_buf_append(out, "{}", 2);
	if (rc == CW_OK && n->suffix) {
		rc = cw_buf_append(out, ", ", 2);
		if (rc == CW_OK)
			rc = put_part(out, n->suffix, needs_braces(n->suffix, 0), ascii, unmapped);
		if (rc == CW_OK)
			rc = cw_buf_append(out, ", ", 2);
		if (rc == CW_OK && n->given)
			rc = put_part(out, n->given, needs_braces(n->given, 0), ascii, unmapped);
	} else if (rc == CW_OK && n->given) {
		rc = cw_buf_append(out, ", ", 2);
		if (rc == CW_OK)
			rc = put_part(out, n->given, needs_braces(n->given, 0), ascii, unmapped);
	}
	return rc;
}

int bibtex_names_write(cw_buf *out, const cw_record *rec, enum cw_field f, int ascii, int extended,
                       size_t *unmapped)
{
	size_t count = cw_record_name_count(rec, f);
	int rc = CW_OK;
	for (size_t i = 0; i < count && rc == CW_OK; i++) {
		if (i)
			rc = cw_buf_append(out, " and ", 5);
		if (rc == CW_OK)
			rc = write_one(out, cw_record_name(rec, f, i), ascii, extended, unmapped);
	}
	return rc;
}

/* --- biblatex roles (role rows of formats/bibtex.yaml) ------------------ */

/* bibtex_roles_write's *slots: editor fields 1 << 0..3, and this bit once losses are reported */
enum { ROLES_CHECKED = 1u << 8 };

/* the editor fields a role row of editor writes into, with their type fields */
static const char *const editor_slots[4][2] = {{"editor", "editortype"},
                                               {"editora", "editoratype"},
                                               {"editorb", "editorbtype"},
                                               {"editorc", "editorctype"}};

static int ascii_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = a[i], y = b[i];
		if (ascii_upper(x))
			x = (char)(x + 32);
		if (ascii_upper(y))
			y = (char)(y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

/* 1 if the "|"-separated list holds word, compared without ASCII case. */
static int role_list_has(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == wl && ascii_ieq(p, word, n))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/*
 * The role word a contributor name is written under: its own, else
 * "collaborator" (biblatex's word for a contributor); "others" goes with
 * the name before it.
 */
static const char *word_of(const cw_record *rec, enum cw_field f, size_t i)
{
	while (i > 0 && (cw_record_name(rec, f, i)->flags & CW_NAME_ETAL))
		i--;
	const cw_name *n = cw_record_name(rec, f, i);
	if (n->flags & CW_NAME_ETAL || !n->role || !*n->role)
		return "collaborator";
	return n->role;
}

/* 1 if editor slot k is neither written by the editor row nor kept as passthrough. */
static int slot_free(const cw_record *rec, int k)
{
	if (k == 0 && cw_record_name_count(rec, CW_FIELD_EDITOR))
		return 0;
	return !cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, editor_slots[k][0]) &&
	       !cw_record_find_passthrough(rec, BIBTEX_PASSTHROUGH, editor_slots[k][1]);
}

/* Appends the names of f (those of word when word is set) as a name list. */
static int write_some(cw_buf *out, const cw_record *rec, enum cw_field f, const char *word,
                      int ascii, int extended, size_t *unmapped)
{
	size_t count = cw_record_name_count(rec, f);
	int rc = CW_OK, first = 1;
	for (size_t i = 0; i < count && rc == CW_OK; i++) {
		if (word && strcmp(word_of(rec, f, i), word) != 0)
			continue;
		if (!first)
			rc = cw_buf_append(out, " and ", 5);
		if (rc == CW_OK)
			rc = write_one(out, cw_record_name(rec, f, i), ascii, extended, unmapped);
		first = 0;
	}
	return rc;
}

int bibtex_roles_write(const bibtex_map *m, const bibtex_field_row *r, unsigned dialect,
                       cw_session *s, const cw_record *rec, unsigned *slots, cw_buf *tmp, int ascii,
                       bibtex_put_fn put, void *ctx, size_t *unmapped, int *wrote)
{
	enum cw_field f = r->field;
	size_t n = cw_record_name_count(rec, f);
	if (!n)
		return CW_OK;
	int per_name = f == CW_FIELD_CONTRIBUTOR;
	char own[32]; /* the row's word, when the field itself says the role */
	size_t ol = strcspn(r->role, "|");
	if (ol >= sizeof own)
		ol = sizeof own - 1;
	memcpy(own, r->role, ol);
	own[ol] = '\0';
	if (per_name && !(*slots & ROLES_CHECKED)) {
		/* once per record: the words no row of this dialect writes are a loss */
		*slots |= ROLES_CHECKED;
		const char *seen[16];
		size_t nseen = 0;
		for (size_t i = 0; i < n; i++) {
			const char *word = word_of(rec, f, i);
			size_t k = 0;
			while (k < nseen && strcmp(seen[k], word) != 0)
				k++;
			if (k < nseen)
				continue; /* reported at its first name */
			if (nseen == sizeof seen / sizeof seen[0]) {
				cw_diag_not_carried(s, rec, f, "names of more than %zu roles",
				                    nseen);
				break;
			}
			seen[nseen++] = word;
			int taken = 0;
			for (size_t j = 0; j < m->nfields && !taken; j++) {
				const bibtex_field_row *o = &m->fields[j];
				taken = o->role && o->field == f && (o->dir & BIBTEX_OUT) &&
				        (o->dialect & dialect) && role_list_has(o->role, word);
			}
			if (!taken)
				cw_diag_not_carried(s, rec, f, "names of role '%s'", word);
		}
	}
	/* the words this row writes, in the order of their first name */
	enum { MAX_GROUPS = 8 };
	const char *words[MAX_GROUPS];
	size_t nw = 0;
	if (!per_name)
		words[nw++] = own;
	for (size_t i = 0; per_name && i < n; i++) {
		const char *word = word_of(rec, f, i);
		size_t k = 0;
		while (k < nw && strcmp(words[k], word) != 0)
			k++;
		if (k < nw || !role_list_has(r->role, word))
			continue;
		if (nw == MAX_GROUPS) {
			cw_diag_not_carried(s, rec, f, "names of role '%s' (too many roles)", word);
			continue;
		}
		words[nw++] = word;
	}
	int editor = strcmp(r->bib, "editor") == 0;
	int rc = CW_OK;
	for (size_t i = 0; i < n && dialect == BIBTEX_DIALECT_BIBTEX; i++)
		if (cw_record_name(rec, f, i)->dropping_particle) {
			cw_diag_loss(s, rec, f, CW_LOSS_DEGRADED,
			                    "a dropping particle is written as a von part");
			break;
		}
	for (size_t g = 0; g < nw && rc == CW_OK; g++) {
		const char *field = r->bib, *type = NULL;
		if (editor) {
			int k = 0;
			while (k < 4 && ((*slots & (1u << k)) || !slot_free(rec, k)))
				k++;
			if (k == 4) {
				cw_diag_not_carried(
				    s, rec, f,
				    "names of role '%s' (editor, editora, editorb and "
				    "editorc are all taken)",
				    words[g]);
				continue;
			}
			*slots |= 1u << k;
			field = editor_slots[k][0];
			type = editor_slots[k][1];
		}
		cw_buf_clear(tmp);
		rc = write_some(tmp, rec, f, per_name ? words[g] : NULL, ascii,
		                dialect == BIBTEX_DIALECT_BIBLATEX, unmapped);
		if (rc == CW_OK)
			rc = put(ctx, field, cw_buf_str(tmp), tmp->len);
		if (rc == CW_OK && type) {
			cw_buf_clear(tmp);
			rc = bibtex_latex_encode(tmp, words[g], ascii, 0, unmapped);
			if (rc == CW_OK)
				rc = put(ctx, type, cw_buf_str(tmp), tmp->len);
		}
		*wrote = 1;
	}
	return rc;
}
