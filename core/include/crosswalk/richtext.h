/*
 * crosswalk/richtext.h - the record's rich text.
 *
 * Rich text is UTF-8 in which a few ASCII control bytes open and close
 * styles. The bytes never occur in stored plain text (the record strips C0
 * controls other than tab and newline), so a rich string is an ordinary C
 * string: compare it with strcmp, copy it with memcpy, and get its plain text
 * by dropping the marker bytes. Styles nest properly; the record setters
 * repair unbalanced input. A newline separates paragraphs.
 *
 * Readers build rich text with cw_buf and cw_rich_open/cw_rich_close;
 * writers walk it with cw_rich_next.
 */
#ifndef CROSSWALK_RICHTEXT_H
#define CROSSWALK_RICHTEXT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Inline styles. Append only. */
enum cw_style {
	CW_STYLE_ITALIC = 0,
	CW_STYLE_BOLD,
	CW_STYLE_SUP,
	CW_STYLE_SUB,
	CW_STYLE_SMALLCAPS,
	CW_STYLE_NOCASE, /**< protect the case of this span (BibTeX braces, CSL nocase) */
	CW_STYLE_MONO,   /**< monospace / code */
	CW_STYLE_COUNT_
};

/* The marker bytes: open = CW_RICH_OPEN_BYTE(style), close = open + 1. */
#define CW_RICH_MARKER_ITALIC '\x01'
#define CW_RICH_MARKER_BOLD '\x03'
#define CW_RICH_MARKER_SUP '\x05'
#define CW_RICH_MARKER_SUB '\x07'
#define CW_RICH_MARKER_SMALLCAPS '\x0b'
#define CW_RICH_MARKER_NOCASE '\x0e'
#define CW_RICH_MARKER_MONO '\x10'

/** The byte that opens a style. */
CW_API char cw_rich_open_byte(enum cw_style style);
/** The byte that closes a style. */
CW_API char cw_rich_close_byte(enum cw_style style);
/**
 * Classifies byte c: returns 1 and sets *style and *open when c is the
 * marker of one of the first `known` styles, 0 otherwise. Pass
 * CW_STYLE_COUNT_ (cw_rich_marker does), so that *style always indexes an
 * array of CW_STYLE_COUNT_ entries, even with a later library that knows
 * more styles (cw_rich_iter_next skips their markers). Since ABI 1.3.
 */
CW_API int cw_rich_marker_known(unsigned char c, enum cw_style *style, int *open, int known);
/*
 * cw_rich_marker(c, style, open) is cw_rich_marker_known(c, style, open,
 * CW_STYLE_COUNT_); the exported function of that name serves plugins built
 * against the headers before ABI 1.3 (the styles of ABI 1.0).
 */
#define cw_rich_marker(c, style, open) cw_rich_marker_known((c), (style), (open), CW_STYLE_COUNT_)

/** Appends the opening marker of a style. */
CW_API int cw_rich_open(cw_buf *b, enum cw_style style);
/** Appends the closing marker of a style. */
CW_API int cw_rich_close(cw_buf *b, enum cw_style style);

/** Events of cw_rich_next. */
enum cw_rich_event { CW_RICH_END = 0, CW_RICH_TEXT, CW_RICH_OPEN, CW_RICH_CLOSE };

/**
 * Walker state; initialise with CW_RICH_ITER_INIT(s), which fills
 * struct_size and styles (since ABI 1.3: the walker can grow at its end).
 */
typedef struct cw_rich_iter {
	uint32_t struct_size; /**< sizeof(cw_rich_iter) */
	uint32_t styles;      /**< the styles its user knows: CW_STYLE_COUNT_ of its headers */
	const char *p;
	/* outputs of the last cw_rich_next */
	const char *text;   /**< CW_RICH_TEXT: the run, not NUL-terminated */
	size_t len;         /**< CW_RICH_TEXT: its length */
	enum cw_style style; /**< CW_RICH_OPEN / CW_RICH_CLOSE: the style */
} cw_rich_iter;
#define CW_RICH_ITER_INIT(s)                                                                       \
	{.struct_size = sizeof(cw_rich_iter), .styles = CW_STYLE_COUNT_, .p = (s)}

/**
 * Moves to the next text run or marker. Returns CW_RICH_END at the end, and
 * for a walker without struct_size or styles. Markers of styles beyond
 * it->styles (styles a later library added) are skipped, so it->style
 * always indexes an array of CW_STYLE_COUNT_ entries. Since ABI 1.3.
 */
CW_API enum cw_rich_event cw_rich_iter_next(cw_rich_iter *it);
/*
 * cw_rich_next(it) is cw_rich_iter_next(it). The exported function of that
 * name takes the walker of the headers before ABI 1.3 (without struct_size)
 * and gives the styles of ABI 1.0.
 */
#define cw_rich_next(it) cw_rich_iter_next(it)

/** Appends the text of rich without markers. */
CW_API int cw_rich_to_plain(cw_buf *out, const char *rich);
/** 1 if s contains any marker byte. */
CW_API int cw_rich_has_markup(const char *s);
/**
 * Normalises rich text into out: drops stray control bytes, closes what is
 * left open, drops closers that match nothing, and removes empty spans.
 * Returns CW_OK, or CW_REPLACED when something had to be repaired.
 */
CW_API int cw_rich_normalize(cw_buf *out, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
