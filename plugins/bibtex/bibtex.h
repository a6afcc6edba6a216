/*
 * Internal declarations of the BibTeX/BibLaTeX plugin, shared by its files:
 * the mapping tables (bibtex_map.c), LaTeX <-> Unicode (bibtex_latex.c,
 * bibtex_tables.c), names (bibtex_names.c), the reader (bibtex_read.c,
 * bibtex_record.c) and the writer (bibtex_write.c).
 */
#ifndef BIBTEX_H
#define BIBTEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crosswalk/crosswalk.h"
#include "crosswalk/plugin.h"

/* the format name used for passthrough fields by both dialects */
#define BIBTEX_PASSTHROUGH "bibtex"

enum bibtex_dialect { BIBTEX_DIALECT_BIBTEX = 1, BIBTEX_DIALECT_BIBLATEX = 2 };
enum bibtex_dir { BIBTEX_IN = 1, BIBTEX_OUT = 2 };

/* how a field's value is converted (the conv column) */
enum bibtex_conv {
	BIBTEX_CONV_TEXT = 0,
	BIBTEX_CONV_RICH,
	BIBTEX_CONV_VERBATIM,
	BIBTEX_CONV_NAMES,
	BIBTEX_CONV_DATE,
	BIBTEX_CONV_YEAR,
	BIBTEX_CONV_MONTH,
	BIBTEX_CONV_DAY,
	BIBTEX_CONV_PAGES,
	BIBTEX_CONV_NUMBER,
	BIBTEX_CONV_DOI,
	BIBTEX_CONV_ISBN,
	BIBTEX_CONV_ISSN,
	BIBTEX_CONV_EPRINT,
	BIBTEX_CONV_LIST
};

/*
 * cw_buf_append for the reader's hot paths: when b already has room (and
 * for the NUL) the bytes are copied here, saving the call; cw_buf_append
 * grows it otherwise.
 */
static inline int bibtex_buf_add(cw_buf *b, const char *s, size_t n)
{
	if (b->cap > b->len && n < b->cap - b->len) {
		if (n)
			memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
		return CW_OK;
	}
	return cw_buf_append(b, s, n);
}

/* A size for a limit's message: "16 MiB", "1000 bytes" (buf returned). */
const char *bibtex_size_text(char buf[32], uint64_t n);

/* --- mapping tables (formats/bibtex.yaml) --- */

/* The schema of formats/bibtex.yaml (bibtex_map.c), shared by both formats. */
extern const cw_table_schema bibtex_table_schema;

/* The type-sets of the table (its set column's words, in order). */
enum bibtex_type_set {
	BIBTEX_SET_ARTICLES, /* number is the issue; a numbered series is the journal's */
	BIBTEX_SET_NUMBERED, /* number is the item's own (a report's, a patent's...) */
	BIBTEX_SET_COUNT_
};

typedef struct bibtex_field_row {
	const char *bib; /* lower-case field name */
	size_t bib_len;
	enum cw_field field; /* canonical field */
	enum bibtex_conv conv;
	unsigned dir;      /* enum bibtex_dir bits */
	unsigned dialect;  /* enum bibtex_dialect bits */
	const char *types; /* "a|b" CSL types, type sets and @entrytypes the writer row
	                      applies to, or NULL */
	uint64_t type_mask; /* the CSL types of types (bit = enum cw_item_type); all without */
	int by_entry_type;  /* types names entry types (@type) */
	const char *role;   /* names rows: "a|b" biblatex role words ("*" any), or NULL */
	int bibstring;      /* a value that is a biblatex localisation key means its words */
} bibtex_field_row;

typedef struct bibtex_type_row {
	const char *bib;
	size_t bib_len;
	enum cw_item_type csl; /* CW_TYPE_UNSET with any = 1 for "*" */
	int any;
	unsigned dir, dialect;
	/* writing: the row applies only to a record with one of these fields (has),
	 * or whose genre holds this word (genre) */
	const int32_t *has;
	uint32_t nhas;
	const char *genre;
} bibtex_type_row;

typedef struct bibtex_inherit_row {
	const char *parents, *children, *from, *to; /* to "-": not inherited */
	int star;                                   /* parents and children both "*" */
	int next;                                   /* next row with the same from, or -1 */
} bibtex_inherit_row;

typedef struct bibtex_map {
	const cw_table *t; /* the session's table (embedded + overrides) */
	/* the rows of its sections, row for row */
	bibtex_field_row *fields;
	size_t nfields;
	bibtex_type_row *types;
	size_t ntypes;
	bibtex_inherit_row *inherit;
	size_t ninherit;
	uint64_t sets[BIBTEX_SET_COUNT_]; /* the CSL types of each type-set */
	/* writing rows of each canonical field, in table order: first row index
	 * + 1 by field, and the next such row of the same field + 1 by row */
	uint32_t out_first[CW_FIELD_COUNT_];
	uint32_t *out_next;
	/* the first types row of each CSL type + 1, and of "*" (table order) */
	uint32_t type_first[CW_TYPE_COUNT_];
	uint32_t type_any;
	/* names looked up before and their rows: the reader's or writer's own,
	 * written through a const map (a lookup does not change the mapping) */
	struct bibtex_memo *memo;
} bibtex_map;

/* Loads the session's table (embedded + overrides). Reports problems. */
int bibtex_map_load(bibtex_map *m, cw_session *s);
void bibtex_map_free(bibtex_map *m);
/* First reading row for a lower-case field name, or -1. */
int bibtex_map_field_in(const bibtex_map *m, const char *name, size_t len);
/* First reading role row of field base whose role list holds word (lower-case), or NULL. */
const bibtex_field_row *bibtex_map_role_in(const bibtex_map *m, const char *base, const char *word,
                                           size_t len);
/* First inherit row (in table order) whose from is name, or -1; the others follow by next. */
int bibtex_map_inherit_first(const bibtex_map *m, const char *name, size_t len);
/* First reading type row for a lower-case entry type, or NULL. */
const bibtex_type_row *bibtex_map_type_in(const bibtex_map *m, const char *name, size_t len);
/* 1 if CSL type t is in a type-set of the table. */
int bibtex_map_in_set(const bibtex_map *m, enum bibtex_type_set set, enum cw_item_type t);
/*
 * The entry type a writer uses for rec (without the source's own type): the
 * first writing row of its type and dialect whose has and genre fit rec,
 * "misc" at worst.
 */
const char *bibtex_type_out(const bibtex_map *m, const cw_record *rec, unsigned dialect);
/* 1 if type is one of the standard BibTeX styles' entry types. */
int bibtex_classic_type(const char *type);
/* 1 if "a|b|c" (NULL or "*" = everything) contains word. */
int bibtex_list_has(const char *list, const char *word, size_t len);

/* --- LaTeX <-> Unicode tables (bibtex_tables.c, generated) --- */

typedef struct bibtex_accent {
	const char *cmd;
	char base;
	uint32_t cp;
} bibtex_accent;
typedef struct bibtex_accent_mark {
	const char *cmd;
	uint32_t mark;
} bibtex_accent_mark;
typedef struct bibtex_symbol {
	const char *name;
	const char *utf8;
	int math;
} bibtex_symbol;
typedef struct bibtex_symbol_rev {
	uint32_t cp;
	const char *name;
	int math;
} bibtex_symbol_rev;
typedef struct bibtex_bibstring {
	const char *key, *long_form, *short_form;
} bibtex_bibstring;
typedef struct bibtex_charset {
	const char *name;
	uint16_t cp[128]; /* the code point of each byte 0x80..0xFF */
} bibtex_charset;

extern const bibtex_accent bibtex_accents[];
extern const size_t bibtex_accent_count;
extern const bibtex_accent bibtex_accents_by_cp[];
extern const size_t bibtex_accent_by_cp_count;
extern const bibtex_accent_mark bibtex_accent_marks[];
extern const size_t bibtex_accent_mark_count;
extern const bibtex_symbol bibtex_symbols[];
extern const size_t bibtex_symbol_count;
extern const bibtex_symbol_rev bibtex_symbols_rev[];
extern const size_t bibtex_symbol_rev_count;
extern const bibtex_bibstring bibtex_bibstrings[];
extern const size_t bibtex_bibstring_count;
extern const bibtex_charset bibtex_charsets[];
extern const size_t bibtex_charset_count;

/* --- LaTeX to Unicode and rich text (bibtex_latex.c) --- */

/* The English long form of biblatex localisation key key[0..n) ("resreport"), or NULL. */
const char *bibtex_bibstring_text(const char *key, size_t n);
/*
 * The localisation key whose English long form text is (as the reader gives
 * it), or NULL; a plain word (letters only) is never taken for a key.
 */
const char *bibtex_bibstring_key(const char *text);

enum bibtex_latex_mode {
	BIBTEX_LATEX_RICH = 0, /* styles and case-protecting braces become markers */
	BIBTEX_LATEX_PLAIN,    /* the text only */
	BIBTEX_LATEX_NAME      /* the text only, ties as spaces (name parts) */
};

/* A macro the file defines (@preamble): offsets into bibtex_latex.mtext. */
typedef struct bibtex_macro {
	uint32_t name, name_len;
	uint32_t body, body_len;
	uint32_t dflt, dflt_len; /* default of an optional first argument */
	uint8_t nparams;         /* 0..9, the optional one included */
	uint8_t optional;        /* the first parameter is [optional] */
} bibtex_macro;

/*
 * Per-reader decoder state: which unknown commands were already reported,
 * the macros the file defines, and the first \href URL of the entry being
 * decoded.
 */
typedef struct bibtex_latex {
	cw_session *s;
	uint32_t max_depth;
	uint32_t max_hops;  /* expansion rounds of one value */
	uint64_t max_field; /* bytes one value may expand to */
	char *reported;     /* "\0name\0name\0..." */
	size_t reported_len, reported_cap;
	cw_buf parts; /* bibtex_names_read: the decoded parts of one name, reused */
	bibtex_macro *macros;
	size_t nmacros, macros_cap;
	cw_map *mindex; /* name -> the macro's index (size); made with the first one */
	cw_buf mtext;     /* names, bodies and defaults of the macros */
	cw_buf exp, exp2; /* expansion rounds */
	uint64_t budget;  /* expansion bytes left for this file (grows with the input) */
	int macros_full;  /* the definition limit was reported */
	cw_buf href;      /* the first \href URL decoded since the last clear */
} bibtex_latex;

void bibtex_latex_init(bibtex_latex *lx, cw_session *s);
void bibtex_latex_free(bibtex_latex *lx);
/*
 * Appends the Unicode (and, in RICH mode, rich-text) form of the LaTeX text
 * s[0..len) to out. White space runs become one space (a blank line a
 * paragraph break in RICH mode). Macros the file defined are expanded first;
 * unknown commands are dropped, the text of their arguments kept, and
 * reported once per reader. line/col locate the value for messages.
 * Returns CW_ELIMIT (reported, the text decoded without expansion) when
 * the expansion is over the limits.
 */
int bibtex_latex_decode(bibtex_latex *lx, cw_buf *out, const char *s, size_t len,
                        enum bibtex_latex_mode mode, uint32_t line, uint32_t col);
/*
 * Reads the macro definitions of a @preamble's text (\newcommand,
 * \renewcommand, \providecommand, \DeclareRobustCommand, \def, \let,
 * with \@ifundefined and \ifx..\undefined) for the values decoded after
 * it. Returns how many were defined.
 */
size_t bibtex_latex_define(bibtex_latex *lx, const char *s, size_t len, uint32_t line,
                           uint32_t col);

/*
 * Appends rich text (or plain text when rich is 0) as LaTeX for a braced
 * field value: specials escaped, styles as commands, no-case spans braced,
 * non-ASCII as LaTeX when ascii is set. Code points without an ASCII form are
 * kept and counted in *unmapped (may be NULL).
 */
int bibtex_latex_encode(cw_buf *out, const char *s, int ascii, int protect_acronyms,
                        size_t *unmapped);

/* --- names (bibtex_names.c) --- */

/*
 * Splits a name list on "and" at brace level 0 and adds each name to f of
 * rec, with role (borrowed, may be NULL) as its role. max_names bounds the list.
 */
int bibtex_names_read(bibtex_latex *lx, cw_record *rec, enum cw_field f, const char *s, size_t len,
                      const char *role, uint32_t max_names, uint32_t line, uint32_t col);
/* Appends the names of f as a BibTeX name list ("von Last, Jr, First and ..."). */
int bibtex_names_write(cw_buf *out, const cw_record *rec, enum cw_field f, int ascii, int extended,
                       size_t *unmapped);
/* Writes one field (name = {value}) for bibtex_roles_write; value is LaTeX already. */
typedef int (*bibtex_put_fn)(void *ctx, const char *name, const char *value, size_t len);
/*
 * Writes the names of a role row r (formats/bibtex.yaml, role column) through
 * put: a role row of editor puts each role word's names into the first of
 * editor, editora, editorb, editorc that is free (bits in *slots, which the
 * caller clears per record) with its type field; another row puts them into
 * its own field. Names that find no field are reported as not carried.
 * tmp is scratch; *wrote is set when something was written.
 */
int bibtex_roles_write(const bibtex_map *m, const bibtex_field_row *r, unsigned dialect,
                       cw_session *s, const cw_record *rec, unsigned *slots, cw_buf *tmp, int ascii,
                       bibtex_put_fn put, void *ctx, size_t *unmapped, int *wrote);

/* --- entries as parsed (bibtex_read.c) and turned into records (bibtex_record.c) --- */

/* One field; offsets into the entry's text (each string NUL-terminated). */
typedef struct bibtex_fieldv {
	uint32_t name, name_len; /* lower-case name */
	uint32_t value, len;     /* value after macro expansion, outer delimiters removed */
	uint32_t line, col;      /* where the value starts */
	int row;                 /* bibtex_map_field_in of the name, looked up once */
} bibtex_fieldv;

/* bibtex_entry.refs: which fields naming other entries an entry has */
enum { BIBTEX_REF_CROSSREF = 1, BIBTEX_REF_XDATA = 2, BIBTEX_REF_IDS = 4 };

typedef struct bibtex_entry {
	cw_buf text;             /* type, key, names and values */
	uint32_t type, type_len; /* lower-case entry type */
	uint32_t key, key_len;
	uint32_t line, col; /* of the '@' */
	bibtex_fieldv *f;
	size_t n, cap;
	int state;     /* inheritance: 0 not resolved, 1 resolving, 2 resolved */
	unsigned refs; /* BIBTEX_REF_* bits of the fields it has */
} bibtex_entry;

#define BIBTEX_STR(e, off) ((e)->text.data + (off))

/* What record building needs from the reader. */
typedef struct bibtex_ctx {
	cw_session *s;
	const bibtex_map *map;
	bibtex_latex *lx;
	const cw_limits *lim;
	cw_buf tmp, tmp2; /* scratch */
	cw_buf clean;     /* a passthrough value cleaned */
} bibtex_ctx;

/* Builds the record of a parsed (and inherited) entry. @param[out] out returns owned. */
int bibtex_entry_to_record(bibtex_ctx *c, const bibtex_entry *e, cw_record **out);

/*
 * The fields of rec whose values are what bibtex_entry_to_record derives
 * from others (an arXiv eprint's number, archive and URL): the writers leave
 * them out, as the source did. Fills out (4 at most); returns the count.
 */
size_t bibtex_derived_fields(const cw_record *rec, enum cw_field out[4]);

/* 1 if a howpublished value is a URL ("\url{..}" or one bare http(s) URL). */
int bibtex_looks_like_url(const char *s, size_t n);

/* --- the writers' choices, which the reader also needs (bibtex_write.c) --- */

/*
 * The passthrough field that names, for a record read from BibTeX, the
 * fields its values came from where the writers would choose other names:
 * "publisher=organization;container-title=maintitle".
 */
#define BIBTEX_SOURCEFIELDS ".sourcefields" /* a hint: other writers neither carry nor report it */

/* Title fields by group (the entry's own, its book's, its multi-volume work's, its journal's)
 * and part (title, subtitle, addon). */
enum {
	BIBTEX_TITLE_OWN,
	BIBTEX_TITLE_BOOK,
	BIBTEX_TITLE_MAIN,
	BIBTEX_TITLE_JOURNAL,
	BIBTEX_TITLE_GROUPS
};
extern const char *const bibtex_title_names[BIBTEX_TITLE_GROUPS][3];

/* 1 if an item of CSL type t written as @entrytype (may be NULL) is a part of another
 * (a chapter, paper, article, entry), not a whole work. */
int bibtex_is_part(enum cw_item_type t, const char *entrytype);
/* The entry type the writer of dialect gives rec (before classic BibTeX's @misc fallback). */
const char *bibtex_write_type(const bibtex_map *m, const cw_record *rec, unsigned dialect);
/*
 * The name the writer of dialect gives canonical field f of rec written as
 * @entrytype when the source asks for nothing else: the first row that
 * applies, for titles the multi-volume rule. NULL when no row applies.
 */
const char *bibtex_out_name(const bibtex_map *m, unsigned dialect, const cw_record *rec,
                            const char *entrytype, enum cw_field f);
/* 1 if biber reads fields a and b as one (the same name, or address and location...). */
int bibtex_same_field(const char *a, const char *b);

/* --- reader and writer ops (bibtex_read.c, bibtex_write.c) --- */

extern const cw_reader_ops bibtex_reader_ops;
/* The reader's options (input-encoding), for both formats' descriptors. */
extern const cw_option_spec bibtex_reader_options[];
extern const cw_writer_ops bibtex_writer_ops;
extern const cw_writer_ops biblatex_writer_ops;

extern const char bibtex_bibtex_yaml[];
extern const size_t bibtex_bibtex_yaml_len;

#endif
