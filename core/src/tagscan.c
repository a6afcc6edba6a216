/*
 * The attribute guard for XML and HTML readers (see crosswalk/io.h): a state
 * machine over raw bytes that survives chunk boundaries, one pass, constant
 * memory.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum scan_state {
	TEXT,    /* character data */
	OPEN,    /* just after '<' (HTML: is it a tag at all?) */
	BANG,    /* just after "<!" */
	TAG,     /* inside a tag, outside quotes */
	QUOTED,  /* inside a quoted attribute value */
	COMMENT, /* after "<!-": until "-->" */
	CDATA,   /* after "<![": until "]]>" */
	OTHER,   /* processing instruction, declaration: until '>' */
	RAW      /* HTML raw text: until "</" + the element's name */
};

/* HTML elements whose content is text, never tags */
static const char *const raw_elements[] = {"script", "style", "title", "textarea"};

struct cw_tagscan {
	enum scan_state state;
	int html;
	char quote;
	char prev[2];  /* the last two bytes seen, for "-->" and "]]>" */
	char name[12]; /* the tag's name, lower-cased */
	size_t name_len;
	int name_done, name_long;
	const char *raw; /* RAW: the element whose end tag ends it */
	size_t raw_at;   /* RAW: bytes of "</name" matched */
	uint32_t attrs, max;
	uint32_t line;
	int hit;
};

int cw_tagscan_new(cw_tagscan **out, uint32_t max_attrs, int html)
{
	if (!out)
		return CW_EINVAL;
	cw_tagscan *t = calloc(1, sizeof *t);
	if (!t)
		return CW_ENOMEM;
	t->max = max_attrs;
	t->html = html != 0;
	t->line = 1;
	*out = t;
	return CW_OK;
}

void cw_tagscan_free(cw_tagscan *t)
{
	free(t);
}

uint32_t cw_tagscan_line(const cw_tagscan *t)
{
	return t ? t->line : 0;
}

uint32_t cw_tagscan_max(const cw_tagscan *t)
{
	return t ? t->max : 0;
}

int cw_tagscan_report(const cw_tagscan *t, cw_session *s)
{
	/* a scan made with the session's limit names it; one with a bound of
	 * the plugin's own (before ABI 1.4) is a fixed bound */
	if (t && t->max == cw_session_limits(s)->max_attributes)
		return cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_ATTRIBUTES, t->line, 0,
		                              "more attributes on one element than");
	return cw_diag_emit(s, CW_SEV_ERROR, CW_ELIMIT, cw_tagscan_line(t), 0,
	                    "more than %u attributes on one element (a fixed bound: the "
	                    "parser takes time quadratic in them)",
	                    (unsigned)cw_tagscan_max(t));
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static uint32_t count_lines(const char *p, size_t n)
{
	uint32_t lines = 0;
	const char *end = p + n;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

/* At the '>' of a start tag: HTML raw-text elements go on as RAW. */
static enum scan_state after_tag(cw_tagscan *t)
{
	if (!t->html || t->name_len == 0 || t->name_long)
		return TEXT;
	for (size_t k = 0; k < sizeof raw_elements / sizeof raw_elements[0]; k++)
		if (strlen(raw_elements[k]) == t->name_len &&
		    memcmp(raw_elements[k], t->name, t->name_len) == 0) {
			t->raw = raw_elements[k];
			t->raw_at = 0;
			return RAW;
		}
	return TEXT;
}

/* RAW: 1 once c completes "</name" of the raw element (case-insensitive). */
static int raw_ends(cw_tagscan *t, char c)
{
	size_t need = strlen(t->raw) + 2;
	char want = t->raw_at == 0 ? '<' : t->raw_at == 1 ? '/' : t->raw[t->raw_at - 2];
	if (lower(c) == want) {
		if (++t->raw_at == need)
			return 1;
	} else {
		t->raw_at = c == '<';
	}
	return 0;
}

int cw_tagscan_feed(cw_tagscan *t, const char *p, size_t n)
{
	if (!t)
		return CW_EINVAL;
	size_t i = 0;
	while (i < n && !t->hit) {
		if (t->state == TEXT || (t->state == RAW && t->raw_at == 0)) {
			/* jump to the next '<' */
			const char *lt = memchr(p + i, '<', n - i);
			size_t stop = lt ? (size_t)(lt - p) : n;
			t->line += count_lines(p + i, stop - i);
			i = stop;
			if (!lt)
				break;
		}
		char c = p[i++];
		if (c == '\n')
			t->line++;
		switch (t->state) {
		case TEXT: /* c == '<' */
			t->state = OPEN;
			t->attrs = 0;
			t->name_len = 0;
			t->name_done = t->name_long = 0;
			break;
		case OPEN:
			if (c == '!') {
				t->state = BANG;
			} else if (c == '?') {
				t->state = OTHER;
			} else if (is_alpha(c) || c == '/' || !t->html) {
				t->state = TAG;
				if (c == '/')
					t->name_done = 1; /* an end tag: no raw text follows */
				else
					t->name[t->name_len++] = lower(c);
			} else {
				t->state = TEXT; /* HTML: "a < b" is text */
			}
			break;
		case BANG:
			t->state = c == '-' ? COMMENT : c == '[' ? CDATA : OTHER;
			break;
		case TAG:
			if (c == '>') {
				t->state = after_tag(t);
			} else if (c == '"' || c == '\'') {
				t->state = QUOTED;
				t->quote = c;
			} else if (c == '=') {
				t->name_done = 1;
				if (++t->attrs > t->max)
					t->hit = 1;
			} else if (!t->name_done) {
				if (is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == ':') {
					if (t->name_len < sizeof t->name)
						t->name[t->name_len++] = lower(c);
					else
						t->name_long = 1;
				} else {
					t->name_done = 1;
				}
			}
			break;
		case QUOTED:
			if (c == t->quote)
				t->state = TAG;
			break;
		case COMMENT:
			if (c == '>' && t->prev[0] == '-' && t->prev[1] == '-')
				t->state = TEXT;
			break;
		case CDATA:
			if (c == '>' && t->prev[0] == ']' && t->prev[1] == ']')
				t->state = TEXT;
			break;
		case OTHER:
			if (c == '>')
				t->state = TEXT;
			break;
		case RAW:
			if (raw_ends(t, c)) {
				t->state = TAG; /* the end tag's own '>' follows */
				t->name_len = 0;
				t->name_done = 1;
			}
			break;
		}
		t->prev[0] = t->prev[1];
		t->prev[1] = c;
	}
	return t->hit ? CW_ELIMIT : CW_OK;
}
