/*
 * CSL's HTML-like markup in strings <-> crosswalk rich text.
 *
 * CSL-JSON strings may carry <i>, <b>, <sup>, <sub>,
 * <span style="font-variant:small-caps;"> and <span class="nocase">; CSL has
 * no monospace, so that style is written as plain text. Only
 * properly paired tags become markup; anything else (an unpaired tag, an
 * unknown tag, a lone "<") stays text, so that writing the record back gives
 * the same string.
 */
#include <stdlib.h>
#include <string.h>

#include "csljson.h"

static const struct tag {
	const char *open, *close;
	enum cw_style style;
	int span; /* closed by </span> */
} tags[] = {
	{"<i>", "</i>", CW_STYLE_ITALIC, 0},
	{"<b>", "</b>", CW_STYLE_BOLD, 0},
	{"<sup>", "</sup>", CW_STYLE_SUP, 0},
	{"<sub>", "</sub>", CW_STYLE_SUB, 0},
	{"<span style=\"font-variant:small-caps;\">", "</span>", CW_STYLE_SMALLCAPS, 1},
	{"<span class=\"nocase\">", "</span>", CW_STYLE_NOCASE, 1},
};
#define NTAGS (sizeof tags / sizeof tags[0])

enum tok_kind { TOK_TEXT, TOK_OPEN, TOK_CLOSE };

typedef struct tok {
	enum tok_kind kind;
	size_t off, len;
	int tag;     /* index in tags */
	int matched; /* open/close paired */
} tok;

static int starts(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	return n <= len && memcmp(s, lit, n) == 0;
}

int csljson_markup_to_rich(cw_buf *out, const char *s, size_t len, uint32_t max_depth,
                           int *too_deep)
{
	int most = max_depth < CSLJSON_MARKUP_DEPTH ? (int)max_depth : CSLJSON_MARKUP_DEPTH;
	if (!memchr(s, '<', len))
		return cw_buf_append(out, s, len);
	tok *toks = NULL;
	size_t n = 0, cap = 0;
	int rc = CW_OK;
	size_t i = 0, text = 0;
	while (i <= len) {
		int kind = -1, tag = -1;
		size_t tlen = 0;
		if (i < len && s[i] == '<') {
			for (size_t t = 0; t < NTAGS && kind < 0; t++) {
				if (starts(s + i, len - i, tags[t].open)) {
					kind = TOK_OPEN, tag = (int)t, tlen = strlen(tags[t].open);
				} else if (starts(s + i, len - i, tags[t].close)) {
					kind = TOK_CLOSE, tag = (int)t, tlen = strlen(tags[t].close);
				}
			}
		}
		if (kind < 0 && i < len) {
			i++;
			continue;
		}
		/* flush the text before this tag (or the end) */
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 16;
			tok *nt = realloc(toks, cap * sizeof *nt);
			if (!nt) {
				free(toks);
				return CW_ENOMEM;
			}
			toks = nt;
		}
		if (i > text)
			toks[n++] = (tok){TOK_TEXT, text, i - text, -1, 0};
		if (i == len)
			break;
		toks[n++] = (tok){(enum tok_kind)kind, i, tlen, tag, 0};
		i += tlen;
		text = i;
	}
	/* pair closers with the innermost opener */
	size_t stack[CSLJSON_MARKUP_DEPTH];
	int depth = 0;
	for (size_t k = 0; k < n; k++) {
		if (toks[k].kind == TOK_OPEN) {
			if (depth < most)
				stack[depth++] = k;
			else
				*too_deep = 1;
		} else if (toks[k].kind == TOK_CLOSE && depth > 0) {
			const struct tag *top = &tags[toks[stack[depth - 1]].tag];
			const struct tag *cl = &tags[toks[k].tag];
			if (top == cl || (top->span && cl->span)) {
				toks[stack[depth - 1]].matched = 1;
				toks[k].matched = 1;
				toks[k].tag = toks[stack[depth - 1]].tag;
				depth--;
			}
		}
	}
	for (size_t k = 0; k < n && rc == CW_OK; k++) {
		const tok *t = &toks[k];
		if (t->kind == TOK_TEXT || !t->matched)
			rc = cw_buf_append(out, s + t->off, t->len);
		else if (t->kind == TOK_OPEN)
			rc = cw_rich_open(out, tags[t->tag].style);
		else
			rc = cw_rich_close(out, tags[t->tag].style);
	}
	free(toks);
	return rc;
}

int csljson_rich_to_markup(cw_buf *out, const char *rich)
{
	const char *run = rich;
	for (const char *p = rich;; p++) {
		unsigned char c = (unsigned char)*p;
		enum cw_style style;
		int open;
		if (c >= 0x20 || (c && !cw_rich_marker(c, &style, &open)))
			continue; /* text runs up to a marker or the end */
		int rc = cw_buf_append(out, run, (size_t)(p - run));
		if (rc || !c)
			return rc;
		run = p + 1;
		for (size_t k = 0; k < NTAGS; k++)
			if (tags[k].style == style)
				rc = cw_buf_append(out, open ? tags[k].open : tags[k].close, CW_NUL);
		if (rc)
			return rc;
	}
}
