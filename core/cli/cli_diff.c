/*
 * A unified diff of two texts in memory, for convert --diff.
 *
 * Lines are numbered by equivalence class (a hash table), lines of one text
 * that appear nowhere in the other are marked changed at once (they belong
 * to no common subsequence), and what is left goes through Myers' O(ND)
 * algorithm in its linear-space form: the middle snake splits each problem
 * in two (E. Myers, "An O(ND) Difference Algorithm and Its Variations",
 * Algorithmica 1986, section 4b). Memory is linear in the number of lines
 * whatever the texts; time is O((N+M) D) for D changed lines, and a budget
 * of steps (cli_diff_opts.max_cost) stops a search that would take longer:
 * the diff then says in one line that it is too different to show.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct side {
	const char *data;
	long n;        /* lines */
	size_t *start; /* n + 1 offsets: line i is data[start[i], start[i + 1]) */
	long *id;      /* equivalence class of each line */
	char *changed; /* 1: deleted (old) or inserted (new) */
	long *keep;    /* indices of the lines left for Myers */
	long nkeep;
} side;

typedef struct differ {
	side a, b;
	long *ka, *kb; /* the classes of the kept lines */
	long *fd, *bd; /* furthest x per diagonal, forward and backward, offset by nb + 1 */
	uint64_t cost, max_cost;
} differ;

static int split_lines(side *s, const char *data, size_t len)
{
	long n = 0;
	for (size_t i = 0; i < len; i++)
		n += data[i] == '\n';
	if (len && data[len - 1] != '\n')
		n++;
	s->data = data;
	s->n = n;
	s->start = malloc(((size_t)n + 1) * sizeof *s->start);
	s->id = malloc(((size_t)n + 1) * sizeof *s->id);
	s->changed = calloc((size_t)n + 1, 1);
	s->keep = malloc(((size_t)n + 1) * sizeof *s->keep);
	if (!s->start || !s->id || !s->changed || !s->keep)
		return -1;
	long k = 0;
	s->start[0] = 0;
	for (const char *p = data, *end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
		s->start[++k] = (size_t)(p - data);
	}
	return 0;
}

static void free_side(side *s)
{
	free(s->start);
	free(s->id);
	free(s->changed);
	free(s->keep);
}

static const char *line_at(const side *s, long i, size_t *len)
{
	*len = s->start[i + 1] - s->start[i];
	return s->data + s->start[i];
}

/*
 * Numbers the lines of both texts by class (equal lines, equal numbers)
 * and marks changed every line whose class the other text lacks. Returns
 * the number of classes, or -1 when out of memory.
 */
static int classify(differ *d)
{
	size_t total = (size_t)d->a.n + (size_t)d->b.n;
	/* a line's text (borrowed from the texts) -> its class (size) */
	cw_map *classes = NULL;
	long *count_a = calloc(total + 1, sizeof *count_a);
	long *count_b = calloc(total + 1, sizeof *count_b);
	int rc = -1;
	if (!count_a || !count_b || cw_map_new(&classes, CW_MAP_BORROW_KEYS))
		goto out;
	for (int t = 0; t < 2; t++) {
		side *s = t ? &d->b : &d->a;
		for (long i = 0; i < s->n; i++) {
			size_t len;
			const char *p = line_at(s, i, &len);
			cw_map_entry *e;
			int added = cw_map_put(classes, p, len, &e);
			if (added < 0)
				goto out;
			if (added)
				e->size = cw_map_count(classes) - 1;
			s->id[i] = (long)e->size;
			(t ? count_b : count_a)[s->id[i]]++;
		}
	}
	for (int t = 0; t < 2; t++) {
		side *s = t ? &d->b : &d->a;
		long *other = t ? count_a : count_b, *kept = t ? d->kb : d->ka;
		s->nkeep = 0;
		for (long i = 0; i < s->n; i++) {
			if (other[s->id[i]] == 0) {
				s->changed[i] = 1;
				continue;
			}
			kept[s->nkeep] = s->id[i];
			s->keep[s->nkeep++] = i;
		}
	}
	rc = 0;
out:
	cw_map_free(classes, NULL);
	free(count_a);
	free(count_b);
	return rc;
}

/*
 * Finds the middle snake of ka[xoff, xlim) against kb[yoff, ylim), both
 * non-empty with different first and different last elements, and returns
 * the point where it ends: the problem splits there into two of about half
 * the edit distance each. Returns -1 when the budget runs out.
 */
static int middle_snake(differ *d, long xoff, long xlim, long yoff, long ylim, long *xmid,
                        long *ymid)
{
	const long *x_ = d->ka, *y_ = d->kb;
	long *fd = d->fd, *bd = d->bd;
	const long dmin = xoff - ylim, dmax = xlim - yoff; /* the diagonals k = x - y */
	const long fmid = xoff - yoff, bmid = xlim - ylim;
	long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	const int odd = ((fmid - bmid) & 1) != 0;
	fd[fmid] = xoff;
	bd[bmid] = xlim;
	for (;;) {
		/* one more edit forward: the reachable diagonals grow by one each side */
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			++fmin;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			--fmax;
		for (long k = fmax; k >= fmin; k -= 2) {
			long lo = fd[k - 1], hi = fd[k + 1];
			long x = lo >= hi ? lo + 1 : hi, y = x - k;
			long x0 = x;
			while (x < xlim && y < ylim && x_[x] == y_[y])
				x++, y++;
			d->cost += 1 + (uint64_t)(x - x0);
			fd[k] = x;
			if (odd && bmin <= k && k <= bmax && bd[k] <= x) {
				*xmid = x;
				*ymid = y;
				return 0;
			}
		}
		/* and one more backward */
		if (bmin > dmin)
			bd[--bmin - 1] = LONG_MAX;
		else
			++bmin;
		if (bmax < dmax)
			bd[++bmax + 1] = LONG_MAX;
		else
			--bmax;
		for (long k = bmax; k >= bmin; k -= 2) {
			long lo = bd[k - 1], hi = bd[k + 1];
			long x = lo < hi ? lo : hi - 1, y = x - k;
			long x0 = x;
			while (x > xoff && y > yoff && x_[x - 1] == y_[y - 1])
				x--, y--;
			d->cost += 1 + (uint64_t)(x0 - x);
			bd[k] = x;
			if (!odd && fmin <= k && k <= fmax && x <= fd[k]) {
				*xmid = x;
				*ymid = y;
				return 0;
			}
		}
		if (d->cost > d->max_cost)
			return -1;
	}
}

/* Marks the changed kept lines of ka[xoff, xlim) against kb[yoff, ylim). */
static int compare(differ *d, long xoff, long xlim, long yoff, long ylim)
{
	while (xoff < xlim && yoff < ylim && d->ka[xoff] == d->kb[yoff])
		xoff++, yoff++;
	while (xoff < xlim && yoff < ylim && d->ka[xlim - 1] == d->kb[ylim - 1])
		xlim--, ylim--;
	if (xoff == xlim) {
		for (long y = yoff; y < ylim; y++)
			d->b.changed[d->b.keep[y]] = 1;
		return 0;
	}
	if (yoff == ylim) {
		for (long x = xoff; x < xlim; x++)
			d->a.changed[d->a.keep[x]] = 1;
		return 0;
	}
	long xmid, ymid;
	if (middle_snake(d, xoff, xlim, yoff, ylim, &xmid, &ymid))
		return -1;
	/* both halves are strictly smaller problems: the recursion is O(log D) deep */
	if (compare(d, xoff, xmid, yoff, ymid))
		return -1;
	return compare(d, xmid, xlim, ymid, ylim);
}

/* "start,count" of a hunk in diff -u's convention. */
static void print_range(FILE *out, long start, long count)
{
	if (count == 0)
		fprintf(out, "%ld,0", start);
	else if (count == 1)
		fprintf(out, "%ld", start + 1);
	else
		fprintf(out, "%ld,%ld", start + 1, count);
}

static void print_line(FILE *out, char mark, const side *s, long i)
{
	size_t len;
	const char *p = line_at(s, i, &len);
	fputc(mark, out);
	fwrite(p, 1, len, out);
	if (!len || p[len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

/* A change: old lines [i, i2) replaced by new lines [j, j2). */
typedef struct change {
	long i, i2, j, j2;
} change;

/*
 * The changes in order. Unchanged lines of the two texts pair up in order,
 * so they are skipped in step. Returns NULL when out of memory.
 */
static change *list_changes(const differ *d, size_t *count)
{
	size_t n = 0, cap = 16;
	change *c = malloc(cap * sizeof *c);
	long i = 0, j = 0;
	while (c) {
		while (i < d->a.n && j < d->b.n && !d->a.changed[i] && !d->b.changed[j])
			i++, j++;
		if (i >= d->a.n && j >= d->b.n)
			break;
		if (n == cap) {
			change *g = realloc(c, 2 * cap * sizeof *c);
			if (!g) {
				free(c);
				return NULL;
			}
			c = g;
			cap *= 2;
		}
		change *ch = &c[n++];
		ch->i = i;
		ch->j = j;
		while (i < d->a.n && d->a.changed[i])
			i++;
		while (j < d->b.n && d->b.changed[j])
			j++;
		ch->i2 = i;
		ch->j2 = j;
	}
	*count = n;
	return c;
}

static long min3(long a, long b, long c)
{
	return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

/* Hunks of changes whose common lines between are at most 2 ctx, with ctx around. */
static int print_hunks(const differ *d, FILE *out, long ctx)
{
	size_t n;
	change *c = list_changes(d, &n);
	if (!c)
		return -1;
	for (size_t h = 0; h < n;) {
		size_t last = h;
		while (last + 1 < n && c[last + 1].i - c[last].i2 <= 2 * ctx)
			last++;
		long lead = min3(ctx, c[h].i, c[h].j);
		long trail = min3(ctx, d->a.n - c[last].i2, d->b.n - c[last].j2);
		long as = c[h].i - lead, ae = c[last].i2 + trail;
		long bs = c[h].j - lead, be = c[last].j2 + trail;
		fputs("@@ -", out);
		print_range(out, as, ae - as);
		fputs(" +", out);
		print_range(out, bs, be - bs);
		fputs(" @@\n", out);
		long x = as;
		for (size_t k = h; k <= last; k++) {
			for (; x < c[k].i; x++)
				print_line(out, ' ', &d->a, x);
			for (; x < c[k].i2; x++)
				print_line(out, '-', &d->a, x);
			for (long y = c[k].j; y < c[k].j2; y++)
				print_line(out, '+', &d->b, y);
		}
		for (; x < ae; x++)
			print_line(out, ' ', &d->a, x);
		h = last + 1;
	}
	free(c);
	return 0;
}

int cli_diff(FILE *out, const char *a_name, const char *a, size_t alen, const char *b_name,
             const char *b, size_t blen, const cli_diff_opts *opts)
{
	cli_diff_opts defaults = CLI_DIFF_OPTS_INIT;
	if (!opts)
		opts = &defaults;
	if (alen == blen && memcmp(a, b, alen) == 0)
		return CLI_DIFF_SAME;
	differ d;
	memset(&d, 0, sizeof d);
	d.max_cost = opts->max_cost;
	int rc = CLI_DIFF_ERROR;
	if (split_lines(&d.a, a, alen) || split_lines(&d.b, b, blen))
		goto out;
	d.ka = malloc(((size_t)d.a.n + 1) * sizeof *d.ka);
	d.kb = malloc(((size_t)d.b.n + 1) * sizeof *d.kb);
	if (!d.ka || !d.kb || classify(&d))
		goto out;
	/* diagonals run from -(nb + 1) to na + 1 */
	size_t ndiag = (size_t)d.a.nkeep + (size_t)d.b.nkeep + 3;
	long *fd = malloc(ndiag * sizeof *fd), *bd = malloc(ndiag * sizeof *bd);
	if (!fd || !bd) {
		free(fd);
		free(bd);
		goto out;
	}
	d.fd = fd + d.b.nkeep + 1;
	d.bd = bd + d.b.nkeep + 1;
	int cmp = compare(&d, 0, d.a.nkeep, 0, d.b.nkeep);
	free(fd);
	free(bd);
	if (cmp) {
		fprintf(out, "%s: files differ (too different to show)\n", b_name);
		rc = CLI_DIFF_TOO_DIFFERENT;
		goto out;
	}
	fprintf(out, "--- %s\n+++ %s\n", a_name, b_name);
	if (print_hunks(&d, out, (long)opts->context) == 0)
		rc = CLI_DIFF_SHOWN;
out:
	free_side(&d.a);
	free_side(&d.b);
	free(d.ka);
	free(d.kb);
	return rc;
}
