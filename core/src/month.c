/*
 * Month and season names: the one table readers look words up in and
 * writers take names from.
 */
#include <string.h>

#include "internal.h"

/*
 * Months 1-12, then the seasons as EDTF numbers them (21-24). English
 * only: no reader met another language in the copies this table replaced
 * (see docs/design-notes.md); a language is rows added here.
 */
static const struct month_row {
	int month;
	const char *full, *lower, *abbr, *abbr_lower;
} rows[] = {
    {1, "January", "january", "Jan", "jan"},
    {2, "February", "february", "Feb", "feb"},
    {3, "March", "march", "Mar", "mar"},
    {4, "April", "april", "Apr", "apr"},
    {5, "May", "may", "May", "may"},
    {6, "June", "june", "Jun", "jun"},
    {7, "July", "july", "Jul", "jul"},
    {8, "August", "august", "Aug", "aug"},
    {9, "September", "september", "Sep", "sep"},
    {10, "October", "october", "Oct", "oct"},
    {11, "November", "november", "Nov", "nov"},
    {12, "December", "december", "Dec", "dec"},
    {21, "Spring", "spring", "Spr", "spr"},
    {22, "Summer", "summer", "Sum", "sum"},
    {23, "Autumn", "autumn", "Aut", "aut"},
    {24, "Winter", "winter", "Win", "win"},
};

/* Other words for a month or season than a prefix of its name. */
static const struct {
	const char *word;
	int month;
} other_words[] = {{"fall", 23}};

static int lower_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* 1 if s[0..n) is word (lower case) without regard to ASCII case. */
static int same_word(const char *s, size_t n, const char *word, size_t wn)
{
	if (n != wn)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower_ascii((unsigned char)s[i]) != (unsigned char)word[i])
			return 0;
	return 1;
}

int cw_month_from_name(const char *s, size_t len)
{
	if (!s)
		return 0;
	if (len == CW_NUL)
		len = strlen(s);
	if (len && s[len - 1] == '.')
		len--; /* "Jan.", "Sept." */
	if (len < 3)
		return 0;
	for (size_t i = 0; i < sizeof other_words / sizeof other_words[0]; i++)
		if (same_word(s, len, other_words[i].word, strlen(other_words[i].word)))
			return other_words[i].month;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		/* a month's full name or any prefix of it of three letters or more
		 * ("Jan", "Sept", "Febr"); seasons only whole */
		size_t n = strlen(rows[i].lower);
		if (rows[i].month > 12 ? len != n : len > n)
			continue;
		if (same_word(s, len, rows[i].lower, len))
			return rows[i].month;
	}
	return 0;
}

const char *cw_month_name(int month, unsigned style)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (rows[i].month != month)
			continue;
		if (style & CW_MONTH_ABBREV)
			return style & CW_MONTH_LOWER ? rows[i].abbr_lower : rows[i].abbr;
		return style & CW_MONTH_LOWER ? rows[i].lower : rows[i].full;
	}
	return NULL;
}
