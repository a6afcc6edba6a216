/*
 * The citation parser's shared internals: the words of the citations
 * table, compiled for matching (citation.c), and the steps of a parse
 * (citation_parse.c).
 */
#ifndef CW_CITATION_INT_H
#define CW_CITATION_INT_H

#include "internal.h"

/* The roles of the citations table (its "role" column), as bits. */
#define CITE_ROLES(X)                                                                              \
	X(PARTICLE, "particle")                                                                    \
	X(MONTH, "month")                                                                          \
	X(ETAL, "etal")                                                                            \
	X(AND, "and")                                                                              \
	X(EDITOR, "editor")                                                                        \
	X(TRANSLATOR, "translator")                                                                \
	X(CONTAINER, "container")                                                                  \
	X(NODATE, "nodate")                                                                        \
	X(INPRESS, "inpress")                                                                      \
	X(PAGE, "page")                                                                            \
	X(VOLUME, "volume")                                                                        \
	X(ISSUE, "issue")                                                                          \
	X(EDITION, "edition")                                                                      \
	X(ACCESS, "access")                                                                        \
	X(ACCESSED, "accessed")                                                                    \
	X(GENRE, "genre")                                                                          \
	X(REPORT, "report")                                                                        \
	X(CONFERENCE, "conference")                                                                \
	X(JOURNAL, "journal")                                                                      \
	X(PUBLISHER, "publisher")                                                                  \
	X(CUE, "cue")                                                                              \
	X(REPEAT, "repeat")                                                                        \
	X(ORGANISATION, "organisation")                                                            \
	X(VERSUS, "versus")                                                                        \
	X(LAW, "law")                                                                              \
	X(ABBREV, "abbrev")

enum cite_role_index {
#define X(id, name) CITE_I_##id,
	CITE_ROLES(X)
#undef X
	    CITE_ROLE_COUNT
};
enum cite_role {
#define X(id, name) CITE_##id = 1u << CITE_I_##id,
	CITE_ROLES(X)
#undef X
};

/* One phrase of the table, lower-cased (ASCII) for matching. */
typedef struct cite_phrase {
	char *low;
	size_t len;
	unsigned roles; /* enum cite_role bits of every row with this phrase */
	int month;      /* MONTH: 1-12, 21-24 */
	int type;       /* GENRE, REPORT: enum cw_item_type, or 0 */
} cite_phrase;

/* The compiled words: phrases sorted by their first byte, with each byte's range. */
typedef struct cite_words {
	cite_phrase *p;
	size_t n;
	uint32_t first[257]; /* phrases whose first byte is b: [first[b], first[b + 1]) */
} cite_words;

/* The session's compiled words (made on first use), or NULL with a reported error. */
int cw__cite_words(cw_session *s, const cite_words **out);

/*
 * The longest phrase with a role in mask at text[at..end): its length in
 * bytes (0: none) and the phrase in *hit. The phrase must end where a word
 * ends (or with its own punctuation); a phrase ending in '.' also matches
 * without it.
 */
size_t cw__cite_match(const cite_words *w, const char *text, size_t at, size_t end, unsigned mask,
                      const cite_phrase **hit);

/* Parses text (plain or rich) into rec; *inferred gets the fields set (bits by cw_field). */
int cw__cite_parse(const cite_words *w, cw_record *rec, const char *text, size_t len,
                   unsigned char *inferred);

#endif
