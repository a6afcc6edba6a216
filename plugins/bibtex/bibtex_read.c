/*
 * The BibTeX/BibLaTeX reader: a hand-written scanner over the input, one
 * entry at a time (peek, parse, consume), @string macros in a cw_map,
 * and crossref/xdata inheritance with a small queue that keeps the file's
 * order while an entry waits for a parent that comes later.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"

enum { WINDOW = 64 * 1024 };

/* 1 if s[0..n) is the lower-case word k without regard to ASCII case. */
static int key_eq(const char *k, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if ((unsigned char)k[i] != c)
			return 0;
	}
	return k[n] == '\0';
}

const char *bibtex_size_text(char buf[32], uint64_t n)
{
	static const char *const units[] = {"GiB", "MiB", "KiB"};
	for (int i = 0; i < 3; i++) {
		unsigned shift = (unsigned)(30 - 10 * i);
		if (n >= (1ull << shift) && n % (1ull << shift) == 0) {
			snprintf(buf, 32, "%llu %s", (unsigned long long)(n >> shift), units[i]);
			return buf;
		}
	}
	snprintf(buf, 32, "%llu byte%s", (unsigned long long)n, n == 1 ? "" : "s");
	return buf;
}

/* --- entries ----------------------------------------------------------- */

static void entry_reset(bibtex_entry *e)
{
	cw_buf_clear(&e->text);
	e->n = 0;
	e->type = e->type_len = e->key = e->key_len = 0;
	e->line = e->col = 0;
	e->state = 0;
	e->refs = 0;
}

static void entry_free(void *p)
{
	bibtex_entry *e = p;
	if (!e)
		return;
	cw_buf_free(&e->text);
	free(e->f);
	free(e);
}

static bibtex_entry *entry_clone(const bibtex_entry *e)
{
	bibtex_entry *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	*c = *e;
	c->text = (cw_buf)CW_BUF_INIT;
	c->f = NULL;
	c->cap = c->n;
	/* exactly the size: kept entries are what the reader's memory is */
	c->text.data = malloc(e->text.len + 1);
	if (!c->text.data || (e->n && !(c->f = malloc(e->n * sizeof *c->f)))) {
		entry_free(c);
		return NULL;
	}
	if (e->text.len)
		memcpy(c->text.data, e->text.data, e->text.len);
	c->text.data[e->text.len] = '\0';
	c->text.len = e->text.len;
	c->text.cap = e->text.len + 1;
	if (e->n)
		memcpy(c->f, e->f, e->n * sizeof *c->f);
	return c;
}

/*
 * The memory an entry kept for crossref takes: its copy, its slot and key in
 * the targets map (at half load) and the allocator's overhead per block.
 */
static size_t kept_cost(const bibtex_entry *e)
{
	return sizeof *e + e->text.len + 1 + e->n * sizeof(bibtex_fieldv) + e->key_len + 1 +
	       sizeof(cw_map_entry) + 4 * sizeof(uint64_t) + 4 * 16;
}

/* The BIBTEX_REF_* bit of a field name, or 0. */
static unsigned ref_bit(const char *name, size_t n)
{
	if (n == 8 && memcmp(name, "crossref", 8) == 0)
		return BIBTEX_REF_CROSSREF;
	if (n == 5 && memcmp(name, "xdata", 5) == 0)
		return BIBTEX_REF_XDATA;
	if (n == 3 && memcmp(name, "ids", 3) == 0)
		return BIBTEX_REF_IDS;
	return 0;
}

/*
 * Records a field whose "name\0value" already ends the entry's text (the
 * value's NUL is added here); row is bibtex_map_field_in of the name.
 */
static int entry_push_field(bibtex_entry *e, size_t name, size_t nlen, size_t value, int row,
                            uint32_t line, uint32_t col)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		bibtex_fieldv *f = realloc(e->f, cap * sizeof *f);
		if (!f)
			return CW_ENOMEM;
		e->f = f;
		e->cap = cap;
	}
	cw_buf *t = &e->text;
	bibtex_fieldv *f = &e->f[e->n];
	f->name = (uint32_t)name;
	f->name_len = (uint32_t)nlen;
	f->value = (uint32_t)value;
	f->len = (uint32_t)(t->len - value);
	if (cw_buf_putc(t, '\0'))
		return CW_ENOMEM;
	f->line = line;
	f->col = col;
	f->row = row;
	e->refs |= ref_bit(BIBTEX_STR(e, name), nlen);
	e->n++;
	return CW_OK;
}

/* Adds a field (name and value copied); row is bibtex_map_field_in of the name. */
static int entry_add_field(bibtex_entry *e, const char *name, size_t nlen, int row, const char *val,
                           size_t vlen, uint32_t line, uint32_t col)
{
	/* "name\0value\0" in one reservation */
	cw_buf *t = &e->text;
	if (nlen > SIZE_MAX / 2 || vlen > SIZE_MAX / 2 || cw_buf_reserve(t, nlen + vlen + 2))
		return CW_ENOMEM;
	size_t at = t->len;
	memcpy(t->data + t->len, name, nlen);
	t->len += nlen;
	t->data[t->len++] = '\0';
	if (vlen)
		memcpy(t->data + t->len, val, vlen);
	t->len += vlen;
	t->data[t->len] = '\0';
	return entry_push_field(e, at, nlen, at + nlen + 1, row, line, col);
}

static const bibtex_fieldv *entry_field_n(const bibtex_entry *e, const char *name, size_t n)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->f[i].name_len == n && memcmp(BIBTEX_STR(e, e->f[i].name), name, n) == 0)
			return &e->f[i];
	return NULL;
}

/*
 * entry_field_n for a name whose mapping row is known: one name has one
 * row, so only fields of the same row can match, and a mapped row names
 * its field.
 */
static int entry_has_field(const bibtex_entry *e, const char *name, size_t n, int row)
{
	for (size_t i = 0; i < e->n; i++) {
		if (e->f[i].row != row)
			continue;
		if (row >= 0 ||
		    (e->f[i].name_len == n && memcmp(BIBTEX_STR(e, e->f[i].name), name, n) == 0))
			return 1;
	}
	return 0;
}

/*
 * The fields of the entry being scanned, by mapping row or (unmapped) name,
 * once it has FIELD_INDEX_FROM of them: looking every new field up among
 * all before it made an entry of n fields cost n^2 (n up to the fields
 * limit). Slots of an earlier entry are told apart by their generation, so
 * a new entry clears nothing.
 */
enum { FIELD_INDEX_FROM = 16 };

typedef struct field_index {
	uint32_t *at;  /* a field's index + 1 */
	uint32_t *gen; /* the entry a slot belongs to */
	size_t cap;    /* slots: 0 or a power of two, at most half used */
	size_t n;      /* the entry's first n fields are in */
	uint32_t cur;  /* the entry being scanned */
} field_index;

static uint64_t field_hash(const bibtex_entry *e, const bibtex_fieldv *f)
{
	uint64_t h = 1469598103934665603u;
	if (f->row >= 0) {
		h ^= (uint64_t)(uint32_t)f->row;
		h *= 1099511628211u;
	} else {
		const unsigned char *p = (const unsigned char *)BIBTEX_STR(e, f->name);
		for (uint32_t i = 0; i < f->name_len; i++)
			h = (h ^ p[i]) * 1099511628211u;
		h = (h ^ 0xffu) * 1099511628211u; /* never the hash of a row */
	}
	return h ^ (h >> 29);
}

static int same_field(const bibtex_entry *e, const bibtex_fieldv *a, const bibtex_fieldv *b)
{
	return a->row == b->row &&
	       (a->row >= 0 || (a->name_len == b->name_len &&
	                        memcmp(BIBTEX_STR(e, a->name), BIBTEX_STR(e, b->name), a->name_len) == 0));
}

/* Starts indexing a new entry (its fields are indexed from FIELD_INDEX_FROM on). */
static void field_index_begin(field_index *x)
{
	x->n = 0;
	if (++x->cur == 0) { /* the generations went round: forget every slot */
		if (x->gen)
			memset(x->gen, 0, x->cap * sizeof *x->gen);
		x->cur = 1;
	}
}

/* The slot of f: the one holding a field like it, or the empty one where it goes. */
static size_t field_slot(const field_index *x, const bibtex_entry *e, const bibtex_fieldv *f)
{
	size_t i = (size_t)field_hash(e, f) & (x->cap - 1);
	while (x->gen[i] == x->cur && !same_field(e, &e->f[x->at[i] - 1], f))
		i = (i + 1) & (x->cap - 1);
	return i;
}

/* Brings the index up to the entry's fields; CW_ENOMEM leaves it unused. */
static int field_index_update(field_index *x, const bibtex_entry *e)
{
	if (x->n > e->n)
		field_index_begin(x); /* not this entry's fields */
	if ((e->n + 1) * 2 > x->cap) {
		size_t cap = x->cap ? x->cap : 64;
		while ((e->n + 1) * 2 > cap)
			cap *= 2;
		uint32_t *at = malloc(cap * sizeof *at), *gen = calloc(cap, sizeof *gen);
		if (!at || !gen) {
			free(at);
			free(gen);
			return CW_ENOMEM;
		}
		free(x->at);
		free(x->gen);
		x->at = at, x->gen = gen, x->cap = cap;
		x->n = 0; /* the new table holds nothing yet */
	}
	for (; x->n < e->n; x->n++) {
		size_t i = field_slot(x, e, &e->f[x->n]);
		if (x->gen[i] != x->cur) { /* the first of its name stays the one found */
			x->gen[i] = x->cur;
			x->at[i] = (uint32_t)x->n + 1;
		}
	}
	return CW_OK;
}

/* Whether the entry has a field of this name and row (entry_has_field, indexed). */
static int entry_has_field_indexed(field_index *x, const bibtex_entry *e, const char *name,
                                   size_t n, int row)
{
	if (e->n < FIELD_INDEX_FROM || field_index_update(x, e) != CW_OK)
		return entry_has_field(e, name, n, row);
	/* the candidate's name is the text's last: e->text ends "name\0value" */
	bibtex_fieldv probe = {.name = (uint32_t)(name - e->text.data),
	                       .name_len = (uint32_t)n,
	                       .row = row};
	return x->gen[field_slot(x, e, &probe)] == x->cur;
}

static void field_index_free(field_index *x)
{
	free(x->at);
	free(x->gen);
}

static const bibtex_fieldv *entry_field(const bibtex_entry *e, const char *name)
{
	return entry_field_n(e, name, strlen(name));
}

/* How the input's bytes become the UTF-8 the scanner reads (see "input decoding"). */
enum src_mode {
	SRC_UTF8 = 0, /* handed over as it is, checked */
	SRC_CHARSET,  /* every byte from 0x80 through the charset */
	SRC_MIXED,    /* valid UTF-8 as it is, the other bytes through the charset */
	SRC_REPLACE,  /* UTF-8 chosen: a byte that is not UTF-8 becomes U+FFFD */
	SRC_UTF16LE,
	SRC_UTF16BE,
	SRC_UTF8D /* SRC_UTF8 decoded (for its line breaks): the same choice at a bad byte */
};

typedef struct source {
	enum src_mode mode;
	const bibtex_charset *cs; /* SRC_CHARSET, SRC_MIXED */
	size_t checked;           /* SRC_UTF8: bytes from the position known to be valid */
	int skip_cont;            /* SRC_UTF8: a sequence's lead was consumed unchecked */
	int multibyte;            /* SRC_UTF8: valid multi-byte UTF-8 was seen */
	int utf8_chosen;          /* SRC_UTF8: bytes that are not UTF-8 become U+FFFD */
	int reported;             /* the warning about bad bytes was given */
	cw_buf buf;               /* decoding modes: the decoded text */
	size_t start;             /* its first unconsumed byte */
	int raw_eof;
} source;

/* --- reader state ------------------------------------------------------ */

typedef struct reader {
	cw_session *s;
	cw_istream *in;
	bibtex_map map;
	bibtex_latex lx;
	bibtex_ctx ctx;
	const cw_limits *lim;
	uint32_t line, col; /* position of the first unconsumed byte */
	int eof;
	int resync;   /* after an error: skip to an '@' at the start of a line */
	int nul_junk; /* the text since the last entry held a NUL byte (reported) */
	uint64_t nul_junk_bytes; /* bytes of that text after the NUL */
	/* keys without regard to case, as BibTeX compares them */
	cw_map *macros;  /* name -> char* value (size: its length) */
	cw_map *targets; /* key -> bibtex_entry* (crossref / xdata parents) */
	cw_map *wanted;  /* keys a queued entry waits for */
	cw_map *aliases; /* ids alias -> char* key of a target */
	const char *parent_types[32];
	size_t parent_type_lens[32];
	size_t nparent_types;
	char parent_buf[512];
	size_t parent_len;
	bibtex_entry cur;     /* the entry being parsed */
	field_index fields;   /* its fields by name, when it has many */
	cw_buf val;           /* one value being assembled */
	bibtex_entry **queue; /* entries waiting, in file order */
	size_t qhead, qlen, qcap;
	bibtex_entry *spare[16]; /* emptied queue entries, their buffers reused */
	size_t nspare;
	int preamble_noted;
	size_t kept_bytes; /* memory of parents kept in case a later child needs them */
	int kept_full;     /* that budget was reached (reported once) */
	source src;        /* how the input is decoded */
	uint64_t pos;      /* decoded bytes consumed: the offset of the first unconsumed one */
	uint64_t expanded; /* bytes @string macros expanded to (STRING_BUDGET) */
	/*
	 * The last @comment body that did not close (bibtex_comment_scan):
	 * where its scan stopped and the offsets of the delimiters still open
	 * there, in order. A later @comment whose opening delimiter is one of
	 * them cannot close before stop either: its scan resumes there instead
	 * of reading the same bytes again, which kept a file of unclosed
	 * "@comment{" quadratic. One for "@comment{" and one for "@comment(".
	 */
	struct cmemo {
		uint64_t *open;
		size_t n, cap;
		uint64_t stop;
		int at_eof; /* the scan stopped at the end of the input */
	} cmemo[2];
	uint64_t *cstack; /* a fresh comment scan's open delimiters (becomes cmemo) */
	size_t cstack_cap;
	int comment_noted; /* an unclosed @comment was reported */
} reader;

/*
 * Entries that only might be parents (a @book before any child named it) are
 * kept while all kept entries take less than this memory (kept_cost), about
 * 40,000 typical books; parents a waiting child names are always kept. It
 * is what holds a 10^6-entry conversion under 64 MiB.
 */
enum { KEEP_BUDGET = 16 * 1024 * 1024 };

/*
 * Bytes @string macros may expand to in one file: this much, and this many
 * more for each byte read. Without it a chain of definitions that each
 * append to the last (or 1 MiB used by many short lines) made time and
 * memory grow with the square of the input.
 */
enum { STRING_BUDGET = 64 * 1024 * 1024, STRING_PER_BYTE = 16 };

/* --- input decoding ------------------------------------------------------ */

/*
 * The scanner reads UTF-8. A file in UTF-8 (or ASCII) is handed to it as it
 * is and checked as it goes; anything else is decoded into a buffer first:
 * UTF-16 (a BOM, or a NUL in its first two bytes), a charset chosen with
 * the input-encoding option or declared at the top of the file (JabRef's
 * "% Encoding: ...", an Emacs "coding: ..." cookie), and a file that turns
 * out not to be UTF-8. The choice is made per file from the bytes seen, in
 * one pass: at the first byte that is not UTF-8, the rest of the file is
 * read as Windows-1252 when everything before was ASCII (a legacy file), or,
 * when valid multi-byte UTF-8 came before (a file of mixed encodings), only
 * the bytes that are not UTF-8 are read as Windows-1252.
 */

/* Case-insensitive, '-', '_' and ' ' ignored: "ISO8859_1" is "iso-8859-1". */
static int enc_name_is(const char *s, size_t n, const char *name)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '-' || c == '_' || c == ' ')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (name[j] != c)
			return 0;
		j++;
	}
	return name[j] == '\0';
}

/* Names of the encodings (after enc_name_is's folding) and what they select. */
static const struct enc_alias {
	const char *name;
	enum src_mode mode;
	const char *charset; /* bibtex_charsets name for SRC_CHARSET */
} enc_aliases[] = {
    {"auto", SRC_UTF8, NULL},
    {"utf8", SRC_REPLACE, NULL},
    {"ascii", SRC_UTF8, NULL},
    {"usascii", SRC_UTF8, NULL},
    {"utf16", SRC_UTF16BE, NULL},
    {"utf16le", SRC_UTF16LE, NULL},
    {"utf16be", SRC_UTF16BE, NULL},
    {"windows1252", SRC_CHARSET, "windows-1252"},
    {"cp1252", SRC_CHARSET, "windows-1252"},
    {"latin1", SRC_CHARSET, "windows-1252"},
    {"isolatin1", SRC_CHARSET, "windows-1252"},
    {"iso88591", SRC_CHARSET, "windows-1252"},
    {"l1", SRC_CHARSET, "windows-1252"},
    {"iso885915", SRC_CHARSET, "iso-8859-15"},
    {"latin9", SRC_CHARSET, "iso-8859-15"},
    {"isolatin9", SRC_CHARSET, "iso-8859-15"},
    {"latin0", SRC_CHARSET, "iso-8859-15"},
    {"iso88592", SRC_CHARSET, "iso-8859-2"},
    {"latin2", SRC_CHARSET, "iso-8859-2"},
    {"isolatin2", SRC_CHARSET, "iso-8859-2"},
    {"windows1250", SRC_CHARSET, "windows-1250"},
    {"cp1250", SRC_CHARSET, "windows-1250"},
    {"windows1251", SRC_CHARSET, "windows-1251"},
    {"cp1251", SRC_CHARSET, "windows-1251"},
    {"koi8r", SRC_CHARSET, "koi8-r"},
    {"macintosh", SRC_CHARSET, "macintosh"},
    {"macroman", SRC_CHARSET, "macintosh"},
    {"mac", SRC_CHARSET, "macintosh"},
    {"xmacroman", SRC_CHARSET, "macintosh"},
};

static const bibtex_charset *find_charset(const char *name)
{
	for (size_t i = 0; i < bibtex_charset_count; i++)
		if (strcmp(bibtex_charsets[i].name, name) == 0)
			return &bibtex_charsets[i];
	return NULL;
}

/* The alias of an encoding name s[0..n), or NULL. */
static const struct enc_alias *find_encoding(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof enc_aliases / sizeof enc_aliases[0]; i++)
		if (enc_name_is(s, n, enc_aliases[i].name))
			return &enc_aliases[i];
	return NULL;
}

/* 1 if b[0..n) (n < 4) is the start of a UTF-8 sequence that continues past it. */
static int utf8_incomplete(const unsigned char *b, size_t n)
{
	unsigned char c = b[0];
	size_t need = c >= 0xC2 && c <= 0xDF   ? 2
	              : c >= 0xE0 && c <= 0xEF ? 3
	              : c >= 0xF0 && c <= 0xF4 ? 4
	                                       : 0;
	if (!need || n >= need)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((b[i] & 0xC0) != 0x80)
			return 0;
	return 1;
}

/* 0x80 in each byte of x that is zero (exact up to the first one) */
#define ZERO_BYTES(x) (((x)-0x0101010101010101ull) & ~(x)&0x8080808080808080ull)
#define EVERY_BYTE(c) (0x0101010101010101ull * (unsigned char)(c))

/*
 * Checks b[from..n) as UTF-8. Returns where the check stopped: n, the first
 * byte that is not UTF-8 (*bad = 1), a CR that ends a line without LF after
 * it (*bad = 2: the file's lines end so, the text is decoded to count them),
 * or the start of a sequence (or CR) cut by the end of the window when more
 * input follows (*bad = 0).
 */
static size_t utf8_scan(const char *b, size_t from, size_t n, int at_eof, int *multibyte, int *bad)
{
	size_t i = from;
	*bad = 0;
	while (i < n) {
		/* ASCII without CR eight bytes at a time */
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, b + i, 8);
			if ((w & 0x8080808080808080ull) || ZERO_BYTES(w ^ EVERY_BYTE('\r')))
				break;
			i += 8;
		}
		while (i < n && !((unsigned char)b[i] & 0x80)) {
			if (b[i] == '\r') {
				if (i + 1 >= n) {
					if (!at_eof)
						return i;
					*bad = 2;
					return i;
				}
				if (b[i + 1] != '\n') {
					*bad = 2;
					return i;
				}
				i++;
			}
			i++;
		}
		if (i >= n)
			break;
		uint32_t cp;
		size_t len = cw_utf8_decode(b + i, n - i, &cp);
		if (len == 1 && cp == 0xFFFD) {
			if (!at_eof && n - i < 4 &&
			    utf8_incomplete((const unsigned char *)b + i, n - i))
				return i;
			*bad = 1;
			return i;
		}
		*multibyte = 1;
		i += len;
	}
	return n;
}

/* Line and column of b[k], b starting at the reader's position. */
static void src_pos(const reader *rd, const char *b, size_t k, uint32_t *line, uint32_t *col)
{
	*line = rd->line;
	*col = rd->col;
	for (size_t i = 0; i < k; i++) {
		if (b[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++; /* columns count bytes, as the scanner's do */
		}
	}
}

static void src_warn(reader *rd, uint32_t line, uint32_t col, unsigned char byte)
{
	source *sr = &rd->src;
	if (sr->reported)
		return;
	sr->reported = 1;
	if (sr->mode == SRC_REPLACE)
		cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, line, col,
		             "byte 0x%02X is not UTF-8; bytes that are not are read as U+FFFD "
		             "(the input encoding was set to UTF-8)",
		             byte);
	else if (sr->mode == SRC_MIXED)
		cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, line, col,
		             "byte 0x%02X is not UTF-8 in a file that has UTF-8 before it; the "
		             "bytes that are not UTF-8 are read as Windows-1252 (see the "
		             "input-encoding option)",
		             byte);
	else if (sr->mode == SRC_CHARSET)
		cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, line, col,
		             "byte 0x%02X is not UTF-8: the file is read as Windows-1252 "
		             "(Latin-1) (see the input-encoding option)",
		             byte);
	else
		cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, line, col,
		             "an unpaired UTF-16 surrogate is read as U+FFFD");
}

/* Appends the UTF-8 of code point cp to the decoded text. */
static int put_cp(cw_buf *b, uint32_t cp)
{
	return cw_buf_put_utf8(b, cp);
}

/*
 * Decodes raw bytes r[0..n) into the buffer. Returns how many were used: a
 * sequence cut by the end (more input to come) is left for the next call.
 * *bad_at: decoded offset of the first byte replaced, or SIZE_MAX.
 */
static size_t src_decode(source *sr, const unsigned char *r, size_t n, int at_eof, size_t *bad_at,
                         unsigned char *bad_byte, int *rc)
{
	cw_buf *out = &sr->buf;
	size_t i = 0;
	*rc = CW_OK;
	if (sr->mode == SRC_UTF16LE || sr->mode == SRC_UTF16BE) {
		int le = sr->mode == SRC_UTF16LE;
		while (i + 1 < n && *rc == CW_OK) {
			uint32_t u = le ? (uint32_t)(r[i] | r[i + 1] << 8)
			                : (uint32_t)(r[i] << 8 | r[i + 1]);
			size_t used = 2;
			if (u >= 0xD800 && u < 0xDC00) {
				if (i + 3 >= n && !at_eof)
					break; /* the low half is in the next window */
				uint32_t lo = i + 3 < n
				                  ? (le ? (uint32_t)(r[i + 2] | r[i + 3] << 8)
				                        : (uint32_t)(r[i + 2] << 8 | r[i + 3]))
				                  : 0;
				if (lo >= 0xDC00 && lo < 0xE000) {
					u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
					used = 4;
				} else {
					u = 0xFFFD;
				}
			} else if (u >= 0xDC00 && u < 0xE000) {
				u = 0xFFFD;
			}
			if (u == '\r') {
				/* a CR without LF after it ends a line: a newline */
				if (i + 3 >= n && !at_eof)
					break;
				uint32_t next = i + 3 < n
				                    ? (le ? (uint32_t)(r[i + 2] | r[i + 3] << 8)
				                          : (uint32_t)(r[i + 2] << 8 | r[i + 3]))
				                    : 0;
				if (next != '\n')
					u = '\n';
			}
			if (u == 0xFFFD && *bad_at == SIZE_MAX) {
				*bad_at = out->len;
				*bad_byte = r[i];
			}
			*rc = put_cp(out, u);
			i += used;
		}
		if (at_eof && i < n && *rc == CW_OK) {
			/* an odd byte at the end */
			if (*bad_at == SIZE_MAX) {
				*bad_at = out->len;
				*bad_byte = r[i];
			}
			*rc = put_cp(out, 0xFFFD);
			i = n;
		}
		return i;
	}
	while (i < n && *rc == CW_OK) {
		size_t j = i;
		while (j < n && r[j] < 0x80 && r[j] != '\r')
			j++;
		if (j > i) {
			*rc = cw_buf_append(out, (const char *)r + i, j - i);
			i = j;
			continue;
		}
		if (r[i] == '\r') {
			/* a CR without LF after it ends a line: a newline */
			if (i + 1 >= n && !at_eof)
				break;
			*rc = cw_buf_putc(out, i + 1 < n && r[i + 1] == '\n' ? '\r' : '\n');
			i++;
			continue;
		}
		if (sr->mode == SRC_CHARSET) {
			*rc = put_cp(out, sr->cs->cp[r[i] - 0x80]);
			i++;
			continue;
		}
		uint32_t cp;
		size_t len = cw_utf8_decode((const char *)r + i, n - i, &cp);
		if (len == 1 && cp == 0xFFFD) {
			if (!at_eof && n - i < 4 && utf8_incomplete(r + i, n - i))
				break;
			if (sr->mode == SRC_UTF8D) {
				/* the choice SRC_UTF8 makes at its first bad byte */
				sr->mode = sr->utf8_chosen ? SRC_REPLACE
				           : sr->multibyte ? SRC_MIXED
				                           : SRC_CHARSET;
				sr->cs = find_charset("windows-1252");
				if (*bad_at == SIZE_MAX) {
					*bad_at = out->len;
					*bad_byte = r[i];
				}
				continue;
			}
			if (*bad_at == SIZE_MAX) {
				*bad_at = out->len;
				*bad_byte = r[i];
			}
			*rc = put_cp(out, sr->mode == SRC_MIXED ? sr->cs->cp[r[i] - 0x80] : 0xFFFD);
			i++;
			continue;
		}
		sr->multibyte = 1;
		*rc = cw_buf_append(out, (const char *)r + i, len);
		i += len;
	}
	return i;
}

/*
 * Decodes raw input until want bytes are buffered or the input ends; the
 * buffer is followed by 16 NUL bytes like the stream's own window.
 */
static int src_fill(reader *rd, size_t want)
{
	source *sr = &rd->src;
	if (sr->start > 0 && sr->start >= sr->buf.len / 2) {
		memmove(sr->buf.data, sr->buf.data + sr->start, sr->buf.len - sr->start);
		sr->buf.len -= sr->start;
		sr->start = 0;
	}
	while (!sr->raw_eof && sr->buf.len - sr->start < want) {
		size_t ask = want - (sr->buf.len - sr->start);
		if (ask < WINDOW)
			ask = WINDOW;
		const char *r;
		size_t n;
		int rc = cw_istream_peek(rd->in, ask, &r, &n);
		if (rc < 0)
			return rc;
		int at_eof = n < ask;
		size_t bad_at = SIZE_MAX;
		unsigned char bad_byte = 0;
		size_t used =
		    src_decode(sr, (const unsigned char *)r, n, at_eof, &bad_at, &bad_byte, &rc);
		if (rc)
			return rc;
		cw_istream_consume(rd->in, used);
		if (at_eof)
			sr->raw_eof = 1;
		if (bad_at != SIZE_MAX && !sr->reported) {
			uint32_t line, col;
			src_pos(rd, sr->buf.data + sr->start, bad_at - sr->start, &line, &col);
			src_warn(rd, line, col, bad_byte);
		}
		if (!used && !at_eof)
			break; /* cannot happen: a window holds a whole sequence */
	}
	if (cw_buf_reserve(&sr->buf, 16))
		return CW_ENOMEM;
	memset(sr->buf.data + sr->buf.len, 0, 16);
	return CW_OK;
}

/*
 * The reader's cw_istream_peek: at least want bytes of UTF-8 from the
 * reader's position (fewer only at the end), followed by NUL padding.
 */
static int src_peek(reader *rd, size_t want, const char **b, size_t *n)
{
	source *sr = &rd->src;
	if (sr->mode != SRC_UTF8) {
		int rc = src_fill(rd, want);
		*b = sr->buf.data ? sr->buf.data + sr->start : "";
		*n = sr->buf.len - sr->start;
		return rc;
	}
	int rc = cw_istream_peek(rd->in, want, b, n);
	if (rc < 0 || sr->checked >= *n)
		return rc;
	size_t from = sr->checked;
	if (sr->skip_cont) {
		/* the rest of a sequence whose lead was consumed (junk between entries) */
		while (from < *n && ((unsigned char)(*b)[from] & 0xC0) == 0x80 && from < 3)
			from++;
		sr->skip_cont = 0;
	}
	int bad;
	size_t k = utf8_scan(*b, from, *n, *n < want, &sr->multibyte, &bad);
	sr->checked = k;
	if (!bad)
		return rc;
	if (bad == 2) {
		/* lines end with CR alone: decoded from here on, each such CR a newline
		 * (the bytes keep their offsets) */
		sr->mode = SRC_UTF8D;
		cw_buf_clear(&sr->buf);
		sr->start = 0;
		return src_peek(rd, want, b, n);
	}
	/* not UTF-8 from b[k]: decode from here on */
	uint32_t line, col;
	src_pos(rd, *b, k, &line, &col);
	unsigned char byte = (unsigned char)(*b)[k];
	sr->mode = sr->utf8_chosen ? SRC_REPLACE : sr->multibyte ? SRC_MIXED : SRC_CHARSET;
	sr->cs = find_charset("windows-1252");
	src_warn(rd, line, col, byte);
	sr->reported = 1;
	rd->cmemo[0].n = rd->cmemo[1].n = 0; /* their offsets were of the bytes as they were */
	cw_buf_clear(&sr->buf);
	sr->start = 0;
	return src_peek(rd, want, b, n);
}

static void src_consume(reader *rd, size_t n)
{
	source *sr = &rd->src;
	if (sr->mode != SRC_UTF8) {
		sr->start += n;
		return;
	}
	cw_istream_consume(rd->in, n);
	if (sr->checked >= n) {
		sr->checked -= n;
	} else {
		sr->checked = 0;
		sr->skip_cont = 1;
	}
}

/*
 * An encoding the file declares before its first entry: JabRef's
 * "% Encoding: NAME" or an Emacs "-*- coding: NAME -*-" cookie; its name in *name and *nl.
 */
static int declared_encoding(const char *b, size_t n, const char **name, size_t *nl,
                             uint32_t *lineno, uint32_t *col)
{
	static const char *const keys[] = {"Encoding:", "coding:", "fileencoding="};
	const char *end = b + n;
	*lineno = 1;
	for (const char *line = b; line < end; (*lineno)++) {
		const char *eol = line;
		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		const char *p = line;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p < eol && *p == '@')
			return 0; /* the first entry: declarations come before it */
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			size_t kl = strlen(keys[k]);
			for (const char *q = p; q + kl <= eol; q++) {
				if (memcmp(q, keys[k], kl) != 0)
					continue;
				const char *v = q + kl;
				while (v < eol && (*v == ' ' || *v == '\t'))
					v++;
				const char *ve = v;
				while (ve < eol &&
				       (((*ve | 32) >= 'a' && (*ve | 32) <= 'z') ||
				        (*ve >= '0' && *ve <= '9') || *ve == '-' || *ve == '_'))
					ve++;
				/* Emacs: utf-8-unix, latin-1-dos */
				static const char *const eols[] = {"-unix", "-dos", "-mac"};
				for (size_t e = 0; e < 3; e++) {
					size_t el = strlen(eols[e]);
					if ((size_t)(ve - v) > el &&
					    memcmp(ve - el, eols[e], el) == 0)
						ve -= el;
				}
				if (ve > v) {
					*name = v;
					*nl = (size_t)(ve - v);
					*col = (uint32_t)(v - line + 1);
					return 1;
				}
			}
		}
		line = eol + (eol + 1 < end && eol[0] == '\r' && eol[1] == '\n' ? 2 : 1);
	}
	return 0;
}

/*
 * Chooses how the input is read: the option, else a BOM, else a NUL in
 * the first two bytes (UTF-16 without BOM), else the file's declaration,
 * else UTF-8 checked as it goes. A BOM is consumed.
 */
static int src_open(reader *rd)
{
	source *sr = &rd->src;
	const char *opt = cw_session_option(rd->s, "input-encoding");
	const struct enc_alias *forced = NULL;
	if (opt && !(forced = find_encoding(opt, strlen(opt)))) {
		cw_buf known = CW_BUF_INIT;
		for (size_t i = 0; i < bibtex_charset_count; i++)
			cw_buf_printf(&known, ", %s", bibtex_charsets[i].name);
		cw_diag_emit(rd->s, CW_SEV_ERROR, CW_EINVAL, 0, 0,
		             "unknown input encoding '%s'; known: auto, utf-8, utf-16, utf-16le, "
		             "utf-16be%s (and their usual other names: latin1, cp1252...)",
		             opt, cw_buf_str(&known));
		cw_buf_free(&known);
		return CW_EINVAL;
	}
	if (forced && strcmp(forced->name, "auto") == 0)
		forced = NULL;
	const char *b;
	size_t n;
	int rc = cw_istream_peek(rd->in, 4096, &b, &n);
	if (rc < 0)
		return rc;
	const unsigned char *u = (const unsigned char *)b;
	enum src_mode mode = SRC_UTF8;
	const char *charset = NULL;
	size_t bom = 0;
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		mode = SRC_UTF8;
		bom = 3;
	} else if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		mode = SRC_UTF16LE;
		bom = 2;
	} else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		mode = SRC_UTF16BE;
		bom = 2;
	} else if (n >= 2 && u[0] && !u[1]) {
		mode = SRC_UTF16LE;
	} else if (n >= 2 && !u[0] && u[1]) {
		mode = SRC_UTF16BE;
	}
	if (forced) {
		mode = forced->mode;
		charset = forced->charset;
		if (mode == SRC_UTF16BE && !forced->name[5] && bom == 2 && u[0] == 0xFF)
			mode = SRC_UTF16LE; /* "utf-16" with a little-endian BOM */
		if (mode == SRC_UTF16BE && !forced->name[5] && !bom && n >= 2 && u[0] && !u[1])
			mode = SRC_UTF16LE;
		if (!((mode == SRC_REPLACE && bom == 3) ||
		      ((mode == SRC_UTF16LE || mode == SRC_UTF16BE) && bom == 2)))
			bom = 0;
	} else if (!bom && mode == SRC_UTF8) {
		const char *name;
		size_t nl;
		uint32_t dline, dcol;
		if (declared_encoding(b, n, &name, &nl, &dline, &dcol)) {
			const struct enc_alias *a = find_encoding(name, nl);
			if (!a)
				cw_diag_emit(
				    rd->s, CW_SEV_WARNING, CW_OK, dline, dcol,
				    "the file declares the encoding '%.*s', which is not known; "
				    "it is read as UTF-8 (see the input-encoding option)",
				    (int)nl, name);
			else if (a->mode == SRC_CHARSET)
				cw_diag_emit(rd->s, CW_SEV_NOTE, CW_OK, dline, dcol,
				             "read as %s, the encoding the file declares",
				             a->charset);
			if (a && a->mode == SRC_CHARSET) {
				mode = SRC_CHARSET;
				charset = a->charset;
			}
		}
	}
	if (bom)
		cw_istream_consume(rd->in, bom);
	if (mode == SRC_REPLACE) {
		/* UTF-8 chosen: handed over as it is until a byte is not UTF-8 */
		mode = SRC_UTF8;
		sr->utf8_chosen = 1;
	}
	sr->mode = mode;
	if (charset)
		sr->cs = find_charset(charset);
	if (mode == SRC_MIXED || (mode == SRC_CHARSET && !sr->cs))
		sr->cs = find_charset("windows-1252");
	return CW_OK;
}

/* --- scanning ---------------------------------------------------------- */

enum scan { SCAN_OK = 0, SCAN_MORE, SCAN_ERROR, SCAN_SKIP, SCAN_ENOMEM };

typedef struct scanner {
	reader *rd;
	const char *b;
	size_t n;
	int at_eof;
	size_t i;
	uint32_t line;
	long ls;          /* offset of the current line's start (may be negative) */
	long ls0;         /* the same for the window's first line */
	size_t resync_at; /* on error: where to resume; 0 = after the error point */
	int in_comment;   /* scanning @comment: no "next entry" heuristic, no report */
	int last_window;  /* the window holds record-bytes already: it cannot grow */
} scanner;

/* The column of offset i, which is on the current line. */
static uint32_t col_of(const scanner *sc, size_t i)
{
	return (uint32_t)((long)i - sc->ls + 1);
}

/*
 * Line and column of any offset i the scanner has passed: on an earlier
 * line (a value opened lines before an error found in it), the lines
 * between are counted back, so a position never wraps. Runs only for
 * messages, over bytes the reader then consumes.
 */
static void pos_of(const scanner *sc, size_t i, uint32_t *line, uint32_t *col)
{
	if ((long)i >= sc->ls) {
		*line = sc->line;
		*col = col_of(sc, i);
		return;
	}
	uint32_t back = 0;
	for (size_t j = i; (long)j < sc->ls; j++)
		back += sc->b[j] == '\n';
	size_t j = i;
	while (j > 0 && sc->b[j - 1] != '\n')
		j--;
	long start = j > 0 ? (long)j : sc->ls0;
	*line = sc->line - back;
	*col = (uint32_t)((long)i - start + 1);
}

static void newline(scanner *sc, size_t i)
{
	sc->line++;
	sc->ls = (long)i + 1;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Skips white space and %-comments between tokens. SCAN_MORE at the window's end. */
static int skip_ws_slow(scanner *sc)
{
	for (;;) {
		while (sc->i < sc->n) {
			char c = sc->b[sc->i];
			if (c == '\n')
				newline(sc, sc->i);
			else if ((unsigned char)c == 0xC2 && sc->i + 1 < sc->n &&
			         (unsigned char)sc->b[sc->i + 1] == 0xA0)
				sc->i++; /* a no-break space between tokens */
			else if (!is_ws(c))
				break;
			sc->i++;
		}
		if (sc->i < sc->n && sc->b[sc->i] == '%') {
			while (sc->i < sc->n && sc->b[sc->i] != '\n')
				sc->i++;
			continue;
		}
		break;
	}
	return sc->i < sc->n ? SCAN_OK : sc->at_eof ? SCAN_OK : SCAN_MORE;
}

/* 1 for the bytes skip_ws may skip or act on: white space, '%', 0xC2 */
static const unsigned char ws_byte[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['%'] = 1, [0xC2] = 1,
};

static inline int skip_ws(scanner *sc)
{
	/* most tokens follow one space or none */
	if (sc->i < sc->n && sc->b[sc->i] == ' ')
		sc->i++;
	if (sc->i < sc->n && !ws_byte[(unsigned char)sc->b[sc->i]])
		return SCAN_OK;
	return skip_ws_slow(sc);
}

/* ASCII punctuation that ends an identifier (so do controls and space) */
static const unsigned char ident_stop[256] = {
    ['"'] = 1, ['#'] = 1, ['%'] = 1, ['\''] = 1, ['('] = 1, [')'] = 1,
    [','] = 1, ['='] = 1, ['{'] = 1, ['}'] = 1,  ['@'] = 1,
};

static int ident_char(unsigned char c)
{
	return c > ' ' && !ident_stop[c];
}

/* The entry at sc fails at b[i]: an error about limit `limit` (0: none). */
static int error_atv(scanner *sc, size_t i, enum cw_limit limit, const char *fmt, va_list ap)
    CW_PRINTF(4, 0);

static int error_atv(scanner *sc, size_t i, enum cw_limit limit, const char *fmt, va_list ap)
{
	reader *rd = sc->rd;
	char msg[256];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (rd->cur.key_len)
		cw_session_set_record(rd->s, BIBTEX_STR(&rd->cur, rd->cur.key));
	uint32_t line, col;
	pos_of(sc, i, &line, &col);
	if (limit)
		cw_session_limit_diag(rd->s, CW_SEV_ERROR, CW_ERECORD, limit, line, col, "%s", msg);
	else
		cw_diag_emit(rd->s, CW_SEV_ERROR, CW_ERECORD, line, col, "%s", msg);
	cw_session_set_record(rd->s, NULL);
	sc->i = i;
	return SCAN_ERROR;
}

static int error_at(scanner *sc, size_t i, const char *fmt, ...) CW_PRINTF(3, 4);

static int error_at(scanner *sc, size_t i, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = error_atv(sc, i, 0, fmt, ap);
	va_end(ap);
	return rc;
}

/* error_at for an entry that hit limit `limit`. */
static int limit_at(scanner *sc, size_t i, enum cw_limit limit, const char *fmt, ...)
    CW_PRINTF(4, 5);

static int limit_at(scanner *sc, size_t i, enum cw_limit limit, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = error_atv(sc, i, limit, fmt, ap);
	va_end(ap);
	return rc;
}

/* At a newline inside a value: does the next line start a new entry? */
static int looks_like_entry(const scanner *sc, size_t i, size_t *at)
{
	size_t j = i + 1;
	while (j < sc->n && (sc->b[j] == ' ' || sc->b[j] == '\t'))
		j++;
	if (j >= sc->n || sc->b[j] != '@')
		return 0;
	size_t k = j + 1;
	while (k < sc->n &&
	       ((sc->b[k] >= 'a' && sc->b[k] <= 'z') || (sc->b[k] >= 'A' && sc->b[k] <= 'Z')))
		k++;
	if (k == j + 1)
		return 0;
	while (k < sc->n && (sc->b[k] == ' ' || sc->b[k] == '\t'))
		k++;
	if (k < sc->n && (sc->b[k] == '{' || sc->b[k] == '(')) {
		*at = j;
		return 1;
	}
	return 0;
}

/*
 * Skips whole 8-byte words holding none of '{', '}', '\n', '"' (the bytes
 * scan_delimited stops at); returns where the byte loop takes over. On a
 * little-endian machine that is the first such byte itself: the lowest
 * flag of ZERO_BYTES is exact.
 */
static size_t delimited_run(const char *b, size_t i, size_t n)
{
	while (n - i >= 8) {
		uint64_t w;
		memcpy(&w, b + i, 8);
		uint64_t a = w ^ EVERY_BYTE('{'), c = w ^ EVERY_BYTE('}'), d = w ^ EVERY_BYTE('\n'),
		         q = w ^ EVERY_BYTE('"');
		uint64_t m = ZERO_BYTES(a) | ZERO_BYTES(c) | ZERO_BYTES(d) | ZERO_BYTES(q);
		if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			i += (unsigned)__builtin_ctzll(m) / 8;
#endif
			break;
		}
		i += 8;
	}
	return i;
}

/*
 * Appends a braced or quoted piece; sc->i at the opening delimiter. The
 * value being assembled starts at out->data + base.
 */
static int scan_delimited(scanner *sc, cw_buf *out, size_t base)
{
	reader *rd = sc->rd;
	char open = sc->b[sc->i];
	size_t start = sc->i;
	uint32_t sline = sc->line, scol = col_of(sc, sc->i);
	uint32_t depth = open == '{' ? 1 : 0;
	uint32_t maxd = rd->lim->max_depth ? rd->lim->max_depth : 256;
	size_t i = sc->i + 1;
	size_t from = i;
	const char *b = sc->b;
	for (;;) {
		/* fast path over ordinary bytes: eight at a time, then one by one */
		i = delimited_run(b, i, sc->n);
		while (i < sc->n) {
			char c = b[i];
			if (c == '{' || c == '}' || c == '\n' || c == '"')
				break;
			i++;
		}
		if (i >= sc->n) {
			if (!sc->at_eof)
				return SCAN_MORE;
			return error_at(
			    sc, start,
			    "unterminated %s value at the end of the input (opened at %u:%u)",
			    open == '{' ? "braced" : "quoted", sline, scol);
		}
		char c = b[i];
		if (c == '\n') {
			size_t at;
			if (!sc->in_comment && looks_like_entry(sc, i, &at)) {
				sc->resync_at = at;
				return error_at(sc, start,
				                "unterminated %s value (opened at %u:%u)",
				                open == '{' ? "braced" : "quoted", sline, scol);
			}
			newline(sc, i);
			i++;
		} else if (c == '{') {
			if (++depth > maxd)
				return limit_at(
				    sc, i, CW_LIMIT_DEPTH,
				    "braces nested deeper than the depth limit (%u) in the "
				    "value at %u:%u",
				    maxd, sline, scol);
			i++;
		} else if (c == '}') {
			if (depth == 0)
				return error_at(
				    sc, i, "unbalanced '}' in a quoted value (opened at %u:%u)",
				    sline, scol);
			if (--depth == 0 && open == '{')
				break;
			i++;
		} else { /* '"' */
			if (open == '"' && depth == 0)
				break;
			i++;
		}
	}
	if (out->len - base + (i - from) > rd->lim->max_field_bytes) {
		char size[32];
		return limit_at(sc, start, CW_LIMIT_FIELD_BYTES,
		                "value larger than the field-bytes limit (%s)",
		                bibtex_size_text(size, rd->lim->max_field_bytes));
	}
	if (bibtex_buf_add(out, b + from, i - from))
		return SCAN_ENOMEM;
	sc->i = i + 1;
	return SCAN_OK;
}

/* A value: pieces joined by '#', appended to out (an entry's text or rd->val). */
static int scan_value(scanner *sc, cw_buf *out)
{
	reader *rd = sc->rd;
	size_t base = out->len;
	if (!out->data && cw_buf_append(out, "", 0))
		return SCAN_ENOMEM;
	for (;;) {
		int r = skip_ws(sc);
		if (r)
			return r;
		if (sc->i >= sc->n)
			return error_at(sc, sc->i, "a value is missing at the end of the input");
		char c = sc->b[sc->i];
		if (c == '{' || c == '"') {
			r = scan_delimited(sc, out, base);
			if (r)
				return r;
		} else if (c >= '0' && c <= '9') {
			size_t j = sc->i;
			while (j < sc->n && sc->b[j] >= '0' && sc->b[j] <= '9')
				j++;
			if (j >= sc->n && !sc->at_eof)
				return SCAN_MORE;
			if (cw_buf_append(out, sc->b + sc->i, j - sc->i))
				return SCAN_ENOMEM;
			sc->i = j;
		} else if (ident_char((unsigned char)c)) {
			size_t j = sc->i;
			while (j < sc->n && ident_char((unsigned char)sc->b[j]))
				j++;
			if (j >= sc->n && !sc->at_eof)
				return SCAN_MORE;
			cw_map_entry *m = cw_map_find(rd->macros, sc->b + sc->i, j - sc->i);
			if (m) {
				if (out->len - base + m->size > rd->lim->max_field_bytes) {
					char size[32];
					return limit_at(
					    sc, sc->i, CW_LIMIT_FIELD_BYTES,
					    "value larger than the field-bytes limit with macro "
					    "'%.*s' (%s)",
					    (int)(j - sc->i < 64 ? j - sc->i : 64), sc->b + sc->i,
					    bibtex_size_text(size, rd->lim->max_field_bytes));
				}
				uint64_t read = rd->pos + sc->i;
				if (rd->expanded + m->size > STRING_BUDGET + STRING_PER_BYTE * read)
					return error_at(
					    sc, sc->i,
					    "@string macros have expanded to more than their "
					    "budget "
					    "(%d MiB and %d bytes per byte read, a fixed limit) at "
					    "'%.*s'",
					    STRING_BUDGET >> 20, STRING_PER_BYTE,
					    (int)(j - sc->i < 64 ? j - sc->i : 64), sc->b + sc->i);
				rd->expanded += m->size;
				if (cw_buf_append(out, m->value, m->size))
					return SCAN_ENOMEM;
			} else {
				if (rd->cur.key_len)
					cw_session_set_record(rd->s,
					                      BIBTEX_STR(&rd->cur, rd->cur.key));
				cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, sc->line,
				             col_of(sc, sc->i),
				             "undefined macro '%.*s' (read as empty)",
				             (int)(j - sc->i), sc->b + sc->i);
				cw_session_set_record(rd->s, NULL);
			}
			sc->i = j;
		} else {
			return error_at(sc, sc->i,
			                "expected a value (braces, quotes, number or macro)");
		}
		r = skip_ws(sc);
		if (r)
			return r;
		if (sc->i < sc->n && sc->b[sc->i] == '#') {
			sc->i++;
			continue;
		}
		return SCAN_OK;
	}
}

static int scan_ident(scanner *sc, size_t *start, size_t *len)
{
	size_t j = sc->i;
	while (j < sc->n && ident_char((unsigned char)sc->b[j]) &&
	       !((unsigned char)sc->b[j] == 0xC2 && j + 1 < sc->n &&
	         (unsigned char)sc->b[j + 1] == 0xA0))
		j++;
	if (j >= sc->n && !sc->at_eof)
		return SCAN_MORE;
	*start = sc->i;
	*len = j - sc->i;
	sc->i = j;
	return SCAN_OK;
}

static void define_macro(reader *rd, const char *name, size_t n, const char *val, size_t len)
{
	cw_map_entry *m;
	if (cw_map_put(rd->macros, name, n, &m) < 0)
		return;
	char *v = malloc(len + 1);
	if (!v)
		return;
	memcpy(v, val, len);
	v[len] = '\0';
	free(m->value);
	m->value = v;
	m->size = len;
}

/* @string{name = value, ...} */
static int scan_string(scanner *sc, char close)
{
	reader *rd = sc->rd;
	for (;;) {
		int r = skip_ws(sc);
		if (r)
			return r;
		if (sc->i < sc->n && sc->b[sc->i] == close) {
			sc->i++;
			return SCAN_SKIP;
		}
		size_t ns, nl;
		r = scan_ident(sc, &ns, &nl);
		if (r)
			return r;
		if (!nl)
			return error_at(sc, sc->i, "expected a macro name in @string");
		r = skip_ws(sc);
		if (r)
			return r;
		if (sc->i >= sc->n || sc->b[sc->i] != '=')
			return error_at(sc, sc->i, "expected '=' after the macro name");
		sc->i++;
		cw_buf_clear(&rd->val);
		r = scan_value(sc, &rd->val);
		if (r)
			return r;
		define_macro(rd, sc->b + ns, nl, rd->val.data, rd->val.len);
		r = skip_ws(sc);
		if (r)
			return r;
		if (sc->i < sc->n && sc->b[sc->i] == ',') {
			sc->i++;
			continue;
		}
		if (sc->i < sc->n && sc->b[sc->i] == close) {
			sc->i++;
			return SCAN_SKIP;
		}
		return error_at(sc, sc->i, "expected '%s' to close @string",
		                close == '}' ? "}" : ")");
	}
}

/* Appends s[0..n) in lower case and a NUL. */
static int append_lower(cw_buf *t, const char *s, size_t n)
{
	if (cw_buf_reserve(t, n + 1))
		return CW_ENOMEM;
	for (size_t k = 0; k < n; k++) {
		char c = s[k];
		t->data[t->len++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	t->data[t->len++] = '\0';
	t->data[t->len] = '\0';
	return CW_OK;
}

/* Pushes offset at on a stack of open delimiters. */
static int offsets_push(uint64_t **st, size_t *n, size_t *cap, uint64_t at)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		uint64_t *p = realloc(*st, c * sizeof *p);
		if (!p)
			return CW_ENOMEM;
		*st = p;
		*cap = c;
	}
	(*st)[(*n)++] = at;
	return CW_OK;
}

/* The index of at in the ascending a[0..n), or n. */
static size_t offsets_find(const uint64_t *a, size_t n, uint64_t at)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo] == at ? lo : n;
}

/* Skips whole 8-byte words holding neither o nor c (see delimited_run). */
static size_t comment_run(const char *b, size_t i, size_t n, char o, char c)
{
	while (n - i >= 8) {
		uint64_t w;
		memcpy(&w, b + i, 8);
		uint64_t m = ZERO_BYTES(w ^ EVERY_BYTE(o)) | ZERO_BYTES(w ^ EVERY_BYTE(c));
		if (m)
			break;
		i += 8;
	}
	while (i < n && b[i] != o && b[i] != c)
		i++;
	return i;
}

/*
 * The body of a @comment whose opening delimiter is b[open_at]: SCAN_SKIP
 * with sc->i past its matching delimiter; when it has none before the end
 * of the input (or it nests deeper than the depth limit, or runs past the
 * record-bytes limit), SCAN_SKIP with sc->i at open_at: only the word is
 * skipped and what follows it is read. Delimiters are counted raw (quotes
 * and backslashes mean nothing in a comment). Linear over any sequence of
 * comments: a scan that does not close leaves rd->cmemo, and no byte before
 * cmemo.stop is read again by a comment that cannot close before it.
 */
static int scan_comment(scanner *sc, size_t open_at)
{
	reader *rd = sc->rd;
	const char *b = sc->b;
	char o = b[open_at], c = o == '{' ? '}' : ')';
	uint32_t maxd = rd->lim->max_depth ? rd->lim->max_depth : 256;
	uint64_t base = rd->pos, at = base + open_at;
	struct cmemo *m = &rd->cmemo[o == '('];
	uint64_t **st = &rd->cstack;
	size_t sn = 0, *scap = &rd->cstack_cap;
	size_t j = open_at;
	int resumed = 0, inside = 0;
	if (m->n && at >= m->open[0] && at < m->stop) {
		size_t k = offsets_find(m->open, m->n, at);
		inside = 1; /* not listed: it closes before stop */
		if (k < m->n) {
			if (m->at_eof) {
				sc->i = open_at;
				return SCAN_SKIP;
			}
			if (m->stop - base > sc->n)
				return SCAN_MORE;
			/* the delimiters open at stop from this one on are this scan's */
			memmove(m->open, m->open + k, (m->n - k) * sizeof *m->open);
			m->n -= k;
			st = &m->open;
			sn = m->n;
			scap = &m->cap;
			j = (size_t)(m->stop - base);
			resumed = 1;
		}
	}
	const char *why = NULL;
	for (;;) {
		j = comment_run(b, j, sc->n, o, c);
		if (j >= sc->n)
			break;
		if (b[j] == o) {
			if (offsets_push(st, &sn, scap, base + j))
				return SCAN_ENOMEM;
			if (sn > maxd) {
				j++;
				why = "depth";
				break;
			}
		} else if (sn > 0 && --sn == 0) {
			if (resumed)
				m->n = 0;
			sc->i = j + 1;
			return SCAN_SKIP;
		}
		j++;
	}
	if (!why && !sc->at_eof && !sc->last_window && inside && !resumed)
		return SCAN_MORE; /* it closes before cmemo.stop: cmemo stays */
	/* this scan's state becomes the memo (a grown window resumes from it) */
	if (!resumed) {
		uint64_t *t = m->open;
		size_t tc = m->cap;
		m->open = rd->cstack;
		m->cap = rd->cstack_cap;
		rd->cstack = t;
		rd->cstack_cap = tc;
	}
	m->n = sn;
	m->stop = base + j;
	m->at_eof = !why && sc->at_eof;
	if (!why && !sc->at_eof && !sc->last_window)
		return SCAN_MORE;
	if (!why && !sc->at_eof)
		why = "record-bytes";
	if (!rd->comment_noted) {
		rd->comment_noted = 1;
		char size[32];
		uint32_t line, col;
		pos_of(sc, open_at, &line, &col);
		if (!why)
			cw_diag_emit(
			    rd->s, CW_SEV_WARNING, CW_OK, rd->cur.line, rd->cur.col,
			    "the body of @comment (opened at %u:%u) is not closed; only "
			    "'@comment' is skipped and what follows is read (reported once)",
			    line, col);
		else if (strcmp(why, "depth") == 0)
			cw_session_limit_diag(
			    rd->s, CW_SEV_WARNING, CW_ELIMIT, CW_LIMIT_DEPTH, rd->cur.line,
			    rd->cur.col,
			    "the body of @comment (opened at %u:%u) nests deeper than the "
			    "depth limit (%u); only '@comment' is skipped "
			    "and what follows is read (reported once)",
			    line, col, maxd);
		else
			cw_session_limit_diag(
			    rd->s, CW_SEV_WARNING, CW_ELIMIT, CW_LIMIT_RECORD_BYTES, rd->cur.line,
			    rd->cur.col,
			    "the body of @comment (opened at %u:%u) is larger than the "
			    "record-bytes limit (%s); only "
			    "'@comment' is skipped and what follows is read (reported once)",
			    line, col, bibtex_size_text(size, rd->lim->max_record_bytes));
	}
	sc->i = open_at;
	return SCAN_SKIP;
}

/* Parses one '@' item at b[0]. */
static int scan_item(scanner *sc)
{
	reader *rd = sc->rd;
	bibtex_entry *e = &rd->cur;
	entry_reset(e);
	e->line = sc->line;
	e->col = col_of(sc, 0);
	cw_session_set_line(rd->s, e->line); /* for the host's crash message */
	sc->i = 1;
	int r = skip_ws(sc);
	if (r)
		return r;
	size_t ts, tl;
	r = scan_ident(sc, &ts, &tl);
	if (r)
		return r;
	r = skip_ws(sc);
	if (r)
		return r;
	if (!tl || sc->i >= sc->n || (sc->b[sc->i] != '{' && sc->b[sc->i] != '(')) {
		/* not an entry: an '@' in free text, or "@comment" used as a line comment */
		if (tl && !(tl == 7 && key_eq("comment", sc->b + ts, tl)))
			cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, e->line, e->col,
			             "'@%.*s' is not followed by '{' or '('; skipped", (int)tl,
			             sc->b + ts);
		sc->i = ts > 1 ? ts : 1;
		return SCAN_SKIP;
	}
	char close = sc->b[sc->i] == '{' ? '}' : ')';
	size_t open_at = sc->i;
	sc->i++;
	e->type = (uint32_t)e->text.len;
	e->type_len = (uint32_t)tl;
	if (append_lower(&e->text, sc->b + ts, tl))
		return SCAN_ENOMEM;
	const char *type = BIBTEX_STR(e, e->type);
	if (strcmp(type, "comment") == 0)
		return scan_comment(sc, open_at);
	if (strcmp(type, "string") == 0)
		return scan_string(sc, close);
	if (strcmp(type, "preamble") == 0) {
		cw_buf_clear(&rd->val);
		r = scan_value(sc, &rd->val);
		if (r)
			return r;
		r = skip_ws(sc);
		if (r)
			return r;
		if (sc->i >= sc->n || sc->b[sc->i] != close)
			return error_at(sc, sc->i, "expected '%s' to close @preamble",
			                close == '}' ? "}" : ")");
		sc->i++;
		/* its macro definitions decode the values that follow */
		size_t defined =
		    bibtex_latex_define(&rd->lx, rd->val.data, rd->val.len, e->line, e->col);
		if (!rd->preamble_noted || defined) {
			rd->preamble_noted = 1;
			if (defined)
				cw_diag_emit(rd->s, CW_SEV_NOTE, CW_OK, e->line, e->col,
				             "@preamble is not carried; its %zu macro definition%s "
				             "decode%s the values after it",
				             defined, defined == 1 ? "" : "s",
				             defined == 1 ? "s" : "");
			else
				cw_diag_emit(
				    rd->s, CW_SEV_NOTE, CW_OK, e->line, e->col,
				    "@preamble is not a bibliographic item and is not carried");
		}
		return SCAN_SKIP;
	}
	/* the key */
	r = skip_ws(sc);
	if (r)
		return r;
	size_t ks = sc->i;
	while (sc->i < sc->n) {
		char c = sc->b[sc->i];
		if (c == ',' || is_ws(c) || c == close || (close == '}' && c == '}') || c == '=')
			break;
		sc->i++;
	}
	if (sc->i >= sc->n && !sc->at_eof)
		return SCAN_MORE;
	size_t kl = sc->i - ks;
	e->key = (uint32_t)e->text.len;
	e->key_len = (uint32_t)kl;
	if (cw_buf_append(&e->text, sc->b + ks, kl) || cw_buf_putc(&e->text, '\0'))
		return SCAN_ENOMEM;
	r = skip_ws(sc);
	if (r)
		return r;
	int nokey_first = 0;
	if (sc->i < sc->n && sc->b[sc->i] == '=') {
		/* "@article{ author = ...": read it without a key, as most tools do */
		uint32_t kline, kcol;
		pos_of(sc, ks, &kline, &kcol);
		cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, kline, kcol,
		             "the entry has no citation key");
		e->key_len = 0;
		sc->i = ks;
		nokey_first = 1;
		kl = 1;
	}
	if (!kl) {
		uint32_t kline, kcol;
		pos_of(sc, ks, &kline, &kcol);
		cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, kline, kcol,
		             "the entry has an empty citation key");
	}
	field_index_begin(&rd->fields);
	for (;;) {
		r = skip_ws(sc);
		if (r)
			return r;
		if (sc->i >= sc->n)
			return error_at(sc, open_at, "unterminated entry (opened at %u:%u)",
			                e->line, e->col);
		char c = sc->b[sc->i];
		if (c == close) {
			sc->i++;
			return SCAN_OK;
		}
		if ((c == ')' || c == '}') && !nokey_first) {
			cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, sc->line, col_of(sc, sc->i),
			             "entry opened with '%c' is closed with '%c'",
			             close == '}' ? '{' : '(', c);
			sc->i++;
			return SCAN_OK;
		}
		if (nokey_first) {
			nokey_first = 0;
		} else if (c != ',') {
			if (c == '@') {
				sc->resync_at = sc->i;
				return error_at(sc, sc->i, "entry not closed before the next '@'");
			}
			return error_at(sc, sc->i, "expected ',' or '%s' after a field",
			                close == '}' ? "}" : ")");
		} else {
			sc->i++;
		}
		r = skip_ws(sc);
		if (r)
			return r;
		while (sc->i < sc->n && sc->b[sc->i] == ',') {
			/* an empty field ("a = 1, , b = 2"): skipped */
			sc->i++;
			r = skip_ws(sc);
			if (r)
				return r;
		}
		if (sc->i < sc->n && sc->b[sc->i] == close) {
			sc->i++;
			return SCAN_OK;
		}
		size_t ns, nl;
		r = scan_ident(sc, &ns, &nl);
		if (r)
			return r;
		if (!nl)
			return error_at(sc, sc->i, "expected a field name");
		r = skip_ws(sc);
		if (r)
			return r;
		if (sc->i >= sc->n || sc->b[sc->i] != '=')
			return error_at(sc, sc->i, "expected '=' after the field name");
		sc->i++;
		r = skip_ws(sc);
		if (r)
			return r;
		uint32_t vline = sc->line, vcol = col_of(sc, sc->i);
		/*
		 * "name\0value" goes straight into the entry's text (the name
		 * lower-case); a field that is not kept is cut off again.
		 */
		enum { FIELD_NAME_MAX = 64 };
		cw_buf *t = &e->text;
		size_t mark = t->len;
		if (nl < FIELD_NAME_MAX && append_lower(t, sc->b + ns, nl))
			return SCAN_ENOMEM;
		size_t value = t->len;
		r = scan_value(sc, t);
		if (r)
			return r;
		if (nl >= FIELD_NAME_MAX) {
			t->len = mark;
			t->data[mark] = '\0';
			cw_diag_emit(
			    rd->s, CW_SEV_WARNING, CW_ELIMIT, vline, vcol,
			    "field name longer than %d bytes (a fixed limit); the field is "
			    "ignored",
			    FIELD_NAME_MAX - 1);
			continue;
		}
		const char *lname = BIBTEX_STR(e, mark);
		int row = bibtex_map_field_in(&rd->map, lname, nl);
		if (entry_has_field_indexed(&rd->fields, e, lname, nl, row)) {
			cw_session_set_record(rd->s, BIBTEX_STR(e, e->key));
			cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, vline, vcol,
			             "field '%s' given twice; the second value is ignored", lname);
			cw_session_set_record(rd->s, NULL);
			t->len = mark;
			t->data[mark] = '\0';
			continue;
		}
		if (e->n >= rd->lim->max_fields)
			return limit_at(sc, ns, CW_LIMIT_FIELDS,
			                "more fields in one entry than the fields limit (%lu)",
			                (unsigned long)rd->lim->max_fields);
		if (entry_push_field(e, mark, nl, value, row, vline, vcol))
			return SCAN_ENOMEM;
	}
}

/* Counts newlines in b[0..n) into the reader's position. */
static void advance(reader *rd, const char *b, size_t n)
{
	rd->pos += n;
	const char *p = b, *end = b + n, *last = NULL;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		rd->line++;
		last = p;
		p++;
	}
	if (last)
		rd->col = (uint32_t)(end - last);
	else
		rd->col += (uint32_t)n;
}

/*
 * Text between entries is ignored, but a NUL byte is never text: the first
 * one since the last entry is an error at its position (the record it
 * stands in for is skipped, status 1), and binary data that runs on for more
 * than record-bytes without an entry ends the input (status 3) instead of
 * being read for ever (/dev/zero). Returns 0 when len bytes at b may be
 * skipped as text, SCAN_ERROR after advancing to the NUL it reported, or a
 * negative status.
 */
static int junk_nul(reader *rd, const char *b, size_t len)
{
	if (rd->nul_junk) {
		rd->nul_junk_bytes += len;
		if (rd->nul_junk_bytes <= rd->lim->max_record_bytes)
			return 0;
		char size[32];
		return cw_session_limit_diag(
		    rd->s, CW_SEV_ERROR, CW_EFORMAT, CW_LIMIT_RECORD_BYTES, rd->line, rd->col,
		    "binary data: more than the record-bytes limit (%s) "
		    "after a NUL byte without an entry; reading stops here",
		    bibtex_size_text(size, rd->lim->max_record_bytes));
	}
	const char *z = memchr(b, 0, len);
	if (!z)
		return 0;
	advance(rd, b, (size_t)(z - b));
	src_consume(rd, (size_t)(z - b));
	cw_session_set_record(rd->s, NULL);
	cw_diag_emit(rd->s, CW_SEV_ERROR, CW_EFORMAT, rd->line, rd->col,
	             "a NUL byte in the input (BibTeX text never has one); the text up to the "
	             "next entry is skipped");
	rd->nul_junk = 1;
	rd->nul_junk_bytes = 0;
	return SCAN_ERROR;
}

/*
 * Reads the next item. Returns SCAN_OK with rd->cur filled (an entry),
 * SCAN_ERROR (reported; resynchronised), or a cw status < 0, or CW_EOF.
 */
static int next_item(reader *rd)
{
	size_t want = WINDOW;
	for (;;) {
		const char *b;
		size_t n;
		int rc = src_peek(rd, want, &b, &n);
		if (rc == CW_ELIMIT) {
			char size[32];
			return cw_session_limit_diag(
			    rd->s, CW_SEV_ERROR, CW_ELIMIT, CW_LIMIT_INPUT_BYTES, rd->line, rd->col,
			    "input larger than the input-bytes limit (%s); "
			    "reading stops here",
			    bibtex_size_text(size, rd->lim->max_input_bytes));
		}
		if (rc < 0)
			return rc;
		if (n == 0)
			return CW_EOF;
		int at_eof = n < want;
		/* the scanner sees no more than an entry may hold */
		size_t sn = n;
		if (sn > rd->lim->max_record_bytes) {
			sn = (size_t)rd->lim->max_record_bytes;
			at_eof = 0;
		}
		/* skip to the next '@' (at a line start while resynchronising) */
		const char *at = NULL;
		const char *p = b;
		/* the line of the last '@' looked at: where it starts, its first
		 * non-blank byte, and how far back from the next '@' a line break
		 * can be (each byte is looked at once however many '@' a line has) */
		const char *lstart = b, *lfirst = NULL, *lseen = b;
		while ((p = memchr(p, '@', (size_t)(b + n - p))) != NULL) {
			const char *q = p;
			while (q > b && (q[-1] == ' ' || q[-1] == '\t'))
				q--;
			int line_start = q > b ? q[-1] == '\n' : rd->col == 1;
			if (!rd->resync && !line_start) {
				/* an '@' on a line that starts with '%' is in a comment line */
				for (const char *r = p; r > lseen; r--) {
					if (r[-1] == '\n') {
						lstart = r;
						lfirst = NULL;
						break;
					}
				}
				lseen = p;
				if (!lfirst) {
					lfirst = lstart;
					while (lfirst < p && (*lfirst == ' ' || *lfirst == '\t'))
						lfirst++;
				}
				if (!(*lfirst == '%' && (lfirst > b || rd->col == 1))) {
					at = p;
					break;
				}
			} else if (line_start) {
				at = p;
				break;
			}
			p++;
		}
		if (!at) {
			/* a CR at the end is a line break or not by the byte after it */
			size_t take = !at_eof && n > 1 && b[n - 1] == '\r' ? n - 1 : n;
			int jr = junk_nul(rd, b, take);
			if (jr)
				return jr;
			advance(rd, b, take);
			src_consume(rd, take);
			want = WINDOW;
			if (at_eof)
				return CW_EOF;
			continue;
		}
		if (at > b) {
			int jr = junk_nul(rd, b, (size_t)(at - b));
			if (jr)
				return jr;
			advance(rd, b, (size_t)(at - b));
			src_consume(rd, (size_t)(at - b));
			want = WINDOW;
			continue; /* re-peek so that the window starts at '@' */
		}
		rd->resync = 0;
		rd->nul_junk = 0;
		scanner sc = {.rd = rd,
		              .b = b,
		              .n = sn,
		              .at_eof = at_eof,
		              .line = rd->line,
		              .ls = 1 - (long)rd->col,
		              .ls0 = 1 - (long)rd->col,
		              .last_window = sn < n || want >= rd->lim->max_record_bytes};
		int r = scan_item(&sc);
		if (r == SCAN_MORE) {
			if (sc.last_window) {
				char size[32];
				cw_session_limit_diag(
				    rd->s, CW_SEV_ERROR, CW_ELIMIT, CW_LIMIT_RECORD_BYTES, rd->line,
				    rd->col, "entry larger than the record-bytes limit (%s)",
				    bibtex_size_text(size, rd->lim->max_record_bytes));
				advance(rd, b, 1);
				src_consume(rd, 1);
				rd->resync = 1;
				return SCAN_ERROR;
			}
			want = n * 2 > want * 2 ? n * 2 : want * 2;
			if (want > rd->lim->max_record_bytes)
				want = rd->lim->max_record_bytes;
			continue;
		}
		if (r == SCAN_ENOMEM)
			return CW_ENOMEM;
		if (r == SCAN_ERROR) {
			size_t to = sc.resync_at ? sc.resync_at : (sc.i > 0 ? sc.i : 1);
			if (to > n)
				to = n;
			advance(rd, b, to);
			src_consume(rd, to);
			rd->resync = sc.resync_at ? 0 : 1;
			return SCAN_ERROR;
		}
		advance(rd, b, sc.i);
		src_consume(rd, sc.i);
		if (r == SCAN_SKIP) {
			want = WINDOW;
			continue;
		}
		return SCAN_OK;
	}
}

/* --- inheritance ------------------------------------------------------- */

static int is_parent_type(const reader *rd, const bibtex_entry *e)
{
	const char *t = BIBTEX_STR(e, e->type);
	size_t n = e->type_len;
	if (n == 5 && memcmp(t, "xdata", 5) == 0)
		return 1;
	for (size_t i = 0; i < rd->nparent_types; i++)
		if (rd->parent_type_lens[i] == n && memcmp(rd->parent_types[i], t, n) == 0)
			return 1;
	return 0;
}

/* Calls fn for each key of crossref (one) and xdata (comma-separated). */
typedef int ref_fn(reader *rd, const char *key, size_t n, int xdata, void *ud);

static int each_ref(reader *rd, const bibtex_entry *e, ref_fn *fn, void *ud)
{
	if (!(e->refs & (BIBTEX_REF_CROSSREF | BIBTEX_REF_XDATA)))
		return 0;
	/*
	 * The callbacks may add fields to e (inheritance), which moves its text:
	 * the two values are copied first (on the stack when they are short).
	 */
	const bibtex_fieldv *fc = e->refs & BIBTEX_REF_CROSSREF ? entry_field(e, "crossref") : NULL;
	const bibtex_fieldv *fx = e->refs & BIBTEX_REF_XDATA ? entry_field(e, "xdata") : NULL;
	size_t lc = fc ? fc->len : 0, lx = fx ? fx->len : 0;
	char stack[512];
	char *copy = lc + lx + 2 <= sizeof stack ? stack : malloc(lc + lx + 2);
	if (!copy)
		return -1;
	/* each value up to its first NUL, as strndup kept it */
	char *cr = NULL, *xd = NULL;
	if (fc) {
		cr = copy;
		lc = strnlen(BIBTEX_STR(e, fc->value), lc);
		memcpy(cr, BIBTEX_STR(e, fc->value), lc);
		cr[lc] = '\0';
	}
	if (fx) {
		xd = copy + lc + 1;
		lx = strnlen(BIBTEX_STR(e, fx->value), lx);
		memcpy(xd, BIBTEX_STR(e, fx->value), lx);
		xd[lx] = '\0';
	}
	int r = 0;
	if (cr) {
		const char *k = cr;
		size_t n = lc;
		while (n && is_ws(*k)) {
			k++;
			n--;
		}
		while (n && is_ws(k[n - 1]))
			n--;
		if (n)
			r = fn(rd, k, n, 0, ud);
	}
	if (xd && !r) {
		const char *p = xd, *end = xd + lx;
		while (p < end && !r) {
			while (p < end && (is_ws(*p) || *p == ','))
				p++;
			const char *q = p;
			while (q < end && *q != ',')
				q++;
			const char *r2 = q;
			while (r2 > p && is_ws(r2[-1]))
				r2--;
			if (r2 > p)
				r = fn(rd, p, (size_t)(r2 - p), 1, ud);
			p = q;
		}
	}
	if (copy != stack)
		free(copy);
	return r;
}

/* A stored parent by key or by one of its ids aliases. */
static cw_map_entry *find_target(reader *rd, const char *key, size_t n)
{
	cw_map_entry *t = cw_map_find(rd->targets, key, n);
	if (!t) {
		cw_map_entry *a = cw_map_find(rd->aliases, key, n);
		if (a)
			t = cw_map_find(rd->targets, a->value, CW_NUL);
	}
	return t;
}

/* Calls fn for each alias in the ids field. */
static int each_alias(reader *rd, const bibtex_entry *e,
                      int (*fn)(reader *, const char *, size_t, void *), void *ud)
{
	const bibtex_fieldv *ids = e->refs & BIBTEX_REF_IDS ? entry_field(e, "ids") : NULL;
	if (!ids)
		return 0;
	const char *p = BIBTEX_STR(e, ids->value), *end = p + ids->len;
	while (p < end) {
		while (p < end && (is_ws(*p) || *p == ','))
			p++;
		const char *q = p;
		while (q < end && *q != ',')
			q++;
		const char *r = q;
		while (r > p && is_ws(r[-1]))
			r--;
		if (r > p && fn(rd, p, (size_t)(r - p), ud))
			return 1;
		p = q;
	}
	return 0;
}

static int alias_wanted(reader *rd, const char *a, size_t n, void *ud)
{
	(void)ud;
	return cw_map_find(rd->wanted, a, n) != NULL;
}

static int alias_add(reader *rd, const char *a, size_t n, void *ud)
{
	const cw_map_entry *target = ud;
	cw_map_entry *sl;
	if (cw_map_put(rd->aliases, a, n, &sl) == 1)
		sl->value = strdup(target->key);
	return 0;
}

static int ref_missing(reader *rd, const char *key, size_t n, int xdata, void *ud)
{
	(void)xdata;
	int *depth = ud;
	cw_map_entry *t = find_target(rd, key, n);
	if (!t)
		return 1;
	if (*depth >= 8)
		return 0;
	(*depth)++;
	int r = each_ref(rd, t->value, ref_missing, ud);
	(*depth)--;
	return r;
}

static int ref_want(reader *rd, const char *key, size_t n, int xdata, void *ud)
{
	(void)xdata;
	(void)ud;
	if (!find_target(rd, key, n))
		cw_map_put(rd->wanted, key, n, NULL);
	return 0;
}

static int ready(reader *rd, const bibtex_entry *e)
{
	int depth = 0;
	return each_ref(rd, e, ref_missing, &depth) == 0;
}

static void resolve(reader *rd, bibtex_entry *e, uint32_t hops);

typedef struct inherit_ud {
	bibtex_entry *child;
	uint32_t hops;
} inherit_ud;

/*
 * The child fields a parent field goes to: every matching inherit row gives
 * its target (none for "-"; biblatex gives book -> inbook's author to both
 * author and bookauthor); no matching row, the same name. Returns the count.
 */
static size_t inherit_names(const reader *rd, const char *ptype, size_t plen, const char *ctype,
                            size_t clen, const char *field, size_t flen, int xdata,
                            const char *out[4])
{
	size_t n = 0;
	int matched = 0;
	for (int i = bibtex_map_inherit_first(&rd->map, field, flen); i >= 0;
	     i = rd->map.inherit[i].next) {
		const bibtex_inherit_row *r = &rd->map.inherit[i];
		if (xdata && !r->star)
			continue;
		if (bibtex_list_has(r->parents, ptype, plen) &&
		    bibtex_list_has(r->children, ctype, clen)) {
			matched = 1;
			if (strcmp(r->to, "-") != 0 && n < 4)
				out[n++] = r->to;
		}
	}
	if (!matched)
		out[n++] = field;
	return n;
}

/*
 * 1 if the child has a field of its own (one of its first own fields) that
 * reads into the same canonical field as name (date and year, address and
 * location, booktitle and maintitle...): inheriting it would only add a
 * conflicting value. What it inherited from the same parent does not count:
 * the parent's year, month and day come together.
 */
static int has_same_field(const reader *rd, const bibtex_entry *c, size_t own, int row)
{
	if (row < 0)
		return 0;
	enum cw_field f = rd->map.fields[row].field;
	enum bibtex_conv conv = rd->map.fields[row].conv;
	for (size_t i = 0; i < own; i++) {
		int r = c->f[i].row;
		if (r < 0 || rd->map.fields[r].field != f)
			continue;
		/* a child with a month or day but no year takes its parent's year
		 * (else its month says nothing); its own year keeps the parent's
		 * month and day out, and a date field blocks them all */
		if (conv == BIBTEX_CONV_YEAR && (rd->map.fields[r].conv == BIBTEX_CONV_MONTH ||
		                                 rd->map.fields[r].conv == BIBTEX_CONV_DAY))
			continue;
		return 1;
	}
	return 0;
}

static int ref_inherit(reader *rd, const char *key, size_t n, int xdata, void *ud)
{
	inherit_ud *u = ud;
	bibtex_entry *c = u->child;
	/* the child's key names the record of the warnings below (only then set:
	 * the session copies it) */
	cw_map_entry *t = find_target(rd, key, n);
	if (!t) {
		cw_session_set_record(rd->s, BIBTEX_STR(c, c->key));
		cw_diag_emit(
		    rd->s, CW_SEV_WARNING, CW_OK, c->line, c->col,
		    "%s target '%.*s' not found (a parent must be a container entry or come "
		    "after its children); nothing inherited",
		    xdata ? "xdata" : "crossref", (int)n, key);
		cw_session_set_record(rd->s, NULL);
		return 0;
	}
	bibtex_entry *p = t->value;
	if (p == c || p->state == 1) {
		cw_session_set_record(rd->s, BIBTEX_STR(c, c->key));
		cw_diag_emit(rd->s, CW_SEV_WARNING, CW_OK, c->line, c->col,
		             "%s cycle through '%.*s'; not followed", xdata ? "xdata" : "crossref",
		             (int)n, key);
		cw_session_set_record(rd->s, NULL);
		return 0;
	}
	uint32_t max_hops = rd->lim->max_hops ? rd->lim->max_hops : 32;
	if (u->hops >= max_hops) {
		cw_session_set_record(rd->s, BIBTEX_STR(c, c->key));
		cw_session_limit_diag(rd->s, CW_SEV_WARNING, CW_ELIMIT, CW_LIMIT_HOPS, c->line,
		                      c->col,
		                      "crossref/xdata chain longer than the hops limit (%u) "
		                      "at '%.*s'; not followed further",
		                      max_hops, (int)n, key);
		cw_session_set_record(rd->s, NULL);
		return 0;
	}
	resolve(rd, p, u->hops + 1);
	/* the child's text grows below: keep its type in a local copy */
	char ctype[64];
	size_t clen = c->type_len < sizeof ctype ? c->type_len : sizeof ctype - 1;
	memcpy(ctype, BIBTEX_STR(c, c->type), clen);
	ctype[clen] = '\0';
	const char *ptype = BIBTEX_STR(p, p->type);
	size_t own = c->n;
	for (size_t i = 0; i < p->n; i++) {
		const char *fname = BIBTEX_STR(p, p->f[i].name);
		const char *to[4];
		size_t nto = inherit_names(rd, ptype, p->type_len, ctype, clen, fname,
		                           p->f[i].name_len, xdata, to);
		for (size_t k = 0; k < nto; k++) {
			size_t tlen = to[k] == fname ? p->f[i].name_len : strlen(to[k]);
			int row = to[k] == fname ? p->f[i].row
			                         : bibtex_map_field_in(&rd->map, to[k], tlen);
			if (entry_field_n(c, to[k], tlen) || has_same_field(rd, c, own, row))
				continue;
			/* copy: the parent's text may not move while we append to the child */
			if (entry_add_field(c, to[k], tlen, row, BIBTEX_STR(p, p->f[i].value),
			                    p->f[i].len, c->line, c->col))
				return -1;
		}
	}
	return 0;
}

static void resolve(reader *rd, bibtex_entry *e, uint32_t hops)
{
	if (e->state)
		return;
	e->state = 1;
	inherit_ud u = {e, hops};
	each_ref(rd, e, ref_inherit, &u);
	e->state = 2;
}

/* --- reader ops -------------------------------------------------------- */

static int reader_open(void *state, cw_session *s, cw_istream *in)
{
	reader *rd = state;
	rd->s = s;
	rd->in = in;
	rd->lim = cw_session_limits(s);
	rd->line = 1;
	rd->col = 1;
	if (cw_map_new(&rd->macros, CW_MAP_FOLD_CASE) ||
	    cw_map_new(&rd->targets, CW_MAP_FOLD_CASE) ||
	    cw_map_new(&rd->wanted, CW_MAP_FOLD_CASE) || cw_map_new(&rd->aliases, CW_MAP_FOLD_CASE))
		return cw_diag_emit(s, CW_SEV_ERROR, CW_ENOMEM, 0, 0, "out of memory");
	int rc = bibtex_map_load(&rd->map, s);
	if (rc)
		return rc;
	bibtex_latex_init(&rd->lx, s);
	rd->ctx.s = s;
	rd->ctx.map = &rd->map;
	rd->ctx.lx = &rd->lx;
	rd->ctx.lim = rd->lim;
	for (int m = 1; m <= 12; m++) { /* jan = "January"... as BibTeX's styles define them */
		const char *full = cw_month_name(m, 0);
		define_macro(rd, cw_month_name(m, CW_MONTH_ABBREV | CW_MONTH_LOWER), 3, full,
		             strlen(full));
	}
	/* parent types: every type named in an inherit row's parents */
	for (size_t i = 0; i < rd->map.ninherit; i++) {
		const char *p = rd->map.inherit[i].parents;
		while (p && *p && strcmp(p, "*") != 0) {
			const char *e = strchr(p, '|');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			int known = 0;
			for (size_t k = 0; k < rd->nparent_types; k++)
				if (rd->parent_type_lens[k] == n &&
				    memcmp(rd->parent_types[k], p, n) == 0)
					known = 1;
			if (!known && rd->nparent_types < 32 &&
			    rd->parent_len + n + 1 <= sizeof rd->parent_buf) {
				char *dst = rd->parent_buf + rd->parent_len;
				memcpy(dst, p, n);
				dst[n] = '\0';
				rd->parent_len += n + 1;
				rd->parent_type_lens[rd->nparent_types] = n;
				rd->parent_types[rd->nparent_types++] = dst;
			}
			if (!e)
				break;
			p = e + 1;
		}
	}
	return src_open(rd);
}

static int queue_push(reader *rd, bibtex_entry *e)
{
	if (rd->qhead + rd->qlen == rd->qcap) {
		if (rd->qhead) {
			memmove(rd->queue, rd->queue + rd->qhead, rd->qlen * sizeof *rd->queue);
			rd->qhead = 0;
		} else {
			size_t cap = rd->qcap ? rd->qcap * 2 : 16;
			bibtex_entry **q = realloc(rd->queue, cap * sizeof *q);
			if (!q)
				return CW_ENOMEM;
			rd->queue = q;
			rd->qcap = cap;
		}
	}
	rd->queue[rd->qhead + rd->qlen++] = e;
	return CW_OK;
}

/* Entries of the queue come from, and go back to, a few spare ones. */
enum { SPARE_TEXT_MAX = 64 * 1024 };

static bibtex_entry *entry_take(reader *rd)
{
	return rd->nspare ? rd->spare[--rd->nspare] : calloc(1, sizeof(bibtex_entry));
}

static void entry_recycle(reader *rd, bibtex_entry *e)
{
	if (rd->nspare < sizeof rd->spare / sizeof rd->spare[0] && e->text.cap <= SPARE_TEXT_MAX)
		rd->spare[rd->nspare++] = e;
	else
		entry_free(e);
}

static int build(reader *rd, bibtex_entry *e, cw_record **out)
{
	resolve(rd, e, 0);
	cw_session_set_record(rd->s, e->key_len ? BIBTEX_STR(e, e->key) : NULL);
	int rc = bibtex_entry_to_record(&rd->ctx, e, out);
	cw_session_set_record(rd->s, NULL);
	return rc;
}

/* Emits the head of the queue; returns 1 if it did. */
static int pop_ready(reader *rd, int force, cw_record **out, int *rc)
{
	if (!rd->qlen)
		return 0;
	bibtex_entry *e = rd->queue[rd->qhead];
	if (!force && !ready(rd, e))
		return 0;
	rd->qhead++;
	rd->qlen--;
	if (!rd->qlen)
		rd->qhead = 0;
	*rc = build(rd, e, out);
	/* an entry also kept as a target is a separate copy */
	entry_recycle(rd, e);
	return 1;
}

static int reader_next(void *state, cw_session *s, cw_record **out)
{
	reader *rd = state;
	(void)s;
	*out = NULL;
	for (;;) {
		int rc;
		if (pop_ready(rd, rd->eof, out, &rc))
			return rc;
		if (rd->eof)
			return CW_EOF;
		int r = next_item(rd);
		if (r == CW_EOF) {
			rd->eof = 1;
			continue;
		}
		if (r == SCAN_ERROR)
			return CW_ERECORD;
		if (r < 0)
			return r;
		bibtex_entry *e = &rd->cur;
		int is_xdata = strcmp(BIBTEX_STR(e, e->type), "xdata") == 0;
		int wanted =
		    e->key_len && (cw_map_find(rd->wanted, BIBTEX_STR(e, e->key), e->key_len) ||
		                   each_alias(rd, e, alias_wanted, NULL));
		int maybe = !is_xdata && !wanted && is_parent_type(rd, e);
		if (maybe && rd->kept_bytes + kept_cost(e) > KEEP_BUDGET) {
			if (!rd->kept_full)
				cw_diag_emit(rd->s, CW_SEV_WARNING, CW_ELIMIT, e->line, e->col,
				             "more than %d MiB of possible crossref parents (a "
				             "fixed limit); "
				             "from here on a parent is kept only when a child "
				             "before it names "
				             "it",
				             KEEP_BUDGET / (1024 * 1024));
			rd->kept_full = 1;
			maybe = 0;
		}
		if (e->key_len && (is_xdata || wanted || maybe)) {
			cw_map_entry *t;
			int added = cw_map_put(rd->targets, BIBTEX_STR(e, e->key), e->key_len, &t);
			if (added < 0)
				return CW_ENOMEM;
			if (added) {
				t->value = entry_clone(e);
				if (!t->value)
					return CW_ENOMEM;
				rd->kept_bytes += kept_cost(e);
				each_alias(rd, e, alias_add, t);
			} else {
				cw_diag_emit(
				    rd->s, CW_SEV_WARNING, CW_OK, e->line, e->col,
				    "citation key '%s' used twice; crossref uses the first",
				    BIBTEX_STR(e, e->key));
			}
		}
		if (is_xdata)
			continue; /* xdata entries are data for others, not items */
		if (!rd->qlen && ready(rd, e)) {
			rc = build(rd, e, out);
			return rc;
		}
		/* the parsed entry moves to the queue; rd->cur parses into a spare one */
		bibtex_entry *q = entry_take(rd);
		if (!q)
			return CW_ENOMEM;
		if (queue_push(rd, q)) {
			entry_free(q);
			return CW_ENOMEM;
		}
		bibtex_entry t = *q;
		*q = *e;
		*e = t;
		each_ref(rd, q, ref_want, NULL);
	}
}

static void free_macro(void *v)
{
	free(v);
}

static void reader_close(void *state, cw_session *s)
{
	reader *rd = state;
	(void)s;
	for (size_t i = 0; i < rd->qlen; i++)
		entry_free(rd->queue[rd->qhead + i]);
	free(rd->queue);
	for (size_t i = 0; i < rd->nspare; i++)
		entry_free(rd->spare[i]);
	cw_map_free(rd->macros, free_macro);
	cw_map_free(rd->targets, entry_free);
	cw_map_free(rd->wanted, NULL);
	cw_map_free(rd->aliases, free_macro);
	cw_buf_free(&rd->cur.text);
	free(rd->cur.f);
	field_index_free(&rd->fields);
	cw_buf_free(&rd->val);
	cw_buf_free(&rd->ctx.tmp);
	cw_buf_free(&rd->ctx.tmp2);
	cw_buf_free(&rd->ctx.clean);
	cw_buf_free(&rd->src.buf);
	free(rd->cmemo[0].open);
	free(rd->cmemo[1].open);
	free(rd->cstack);
	bibtex_latex_free(&rd->lx);
	bibtex_map_free(&rd->map);
}

const cw_option_spec bibtex_reader_options[] = {
    {"input-encoding", CW_OPT_STRING, "auto", NULL,
     "the input's character encoding: auto (a BOM or the file's own declaration, else "
     "UTF-8, else Windows-1252), utf-8, utf-16, utf-16le, utf-16be, windows-1252 (latin1), "
     "iso-8859-15 (latin9), iso-8859-2 (latin2), windows-1250, windows-1251, koi8-r, "
     "macintosh"},
    {NULL, 0, NULL, NULL, NULL},
};

const cw_reader_ops bibtex_reader_ops = {
    .struct_size = sizeof(cw_reader_ops),
    .state_size = sizeof(reader),
    .open = reader_open,
    .next = reader_next,
    .close = reader_close,
};
