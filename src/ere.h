/* ere.h - the regular expressions of specs (`expect: headers:`) and rule
 * files (header conditions): a POSIX extended regular expression (ERE)
 * matcher of our own whose cost is bounded whatever the pattern's shape.
 *
 * Why not glibc's regcomp/regexec: their cost depends on the pattern's
 * shape. "^((a?a?a?a?){1,25}){1,25}$" took 24 s and 11.4 GB to compile, and
 * regexec is quadratic or worse on long values; a guard in front of them
 * can only refuse the shapes it knows. Here a pattern is compiled into a
 * Thompson NFA (a program of at most AL_ERE_MAX_PROGRAM instructions,
 * bounded repetitions expanded) and run as a Pike VM: every instruction is
 * visited at most once per input byte, so a match costs at most
 * (program size) x (input length) steps and (program size) words of
 * memory, for every pattern and every input. A pattern whose program would
 * be larger is refused at load, with its position.
 *
 * The syntax (POSIX.1-2017 9.4, ERE), matched byte by byte as in the C
 * locale, case-sensitive, "does the pattern match anywhere in the value":
 *   a  \.  .          a byte; an escaped special character; any byte
 *   [abc] [^a-z] [[:digit:]]   bracket expressions with ranges and the
 *                     classes alnum alpha blank cntrl digit graph lower
 *                     print punct space upper xdigit
 *   ^  $              start and end of the value (anywhere in the pattern)
 *   (re)  re|re       grouping, alternation (an empty side matches empty)
 *   *  +  ?  {n}  {n,}  {n,m}   repetition, n and m at most 255
 * Refused, with a reason: backreferences (\1: not regular, no bounded
 * matcher can do them), GNU and Perl escapes (\d \w \s \b ... say which
 * bracket expression to write instead), [=a=] and [.a.], a repetition
 * operator with nothing to repeat or right after another ("a**", "a+?"),
 * unbalanced parentheses or brackets, nesting deeper than
 * AL_ERE_MAX_DEPTH, patterns longer than AL_ERE_MAX_LENGTH bytes. */
#ifndef AL_ERE_H
#define AL_ERE_H

#include <stddef.h>

#define AL_ERE_MAX_PROGRAM 2000 /* NFA instructions, repetitions expanded */
#define AL_ERE_MAX_DEPTH 64     /* nested groups */
#define AL_ERE_MAX_LENGTH 4096  /* bytes of pattern */

struct al_ere; /* opaque */

/* Compiles the NUL-terminated 'pattern'. On success returns a new regex
 * (free with al_ere_free) and leaves 'why' untouched; on failure returns
 * NULL with the reason in why[why_size] (one line; completes "bad regular
 * expression: ...", and says at which byte of the pattern, 1-based, when
 * one byte is to blame). Out of memory also gives NULL, with why "out of
 * memory". Compiling costs time and memory linear in the program size. */
struct al_ere *al_ere_compile(const char *pattern, char *why, size_t why_size);

/* 1 when 're' matches somewhere in text[0..len) (bytes, NUL included), 0
 * when it does not, -1 when out of memory. At most (program size + 1) x
 * (len + 1) steps; memory: four arrays of program-size words (on the
 * stack for small programs). 're' is
 * only read: one regex may be matched from several threads. Starting
 * threads are skipped where the next byte cannot begin a match. A short
 * text matched by the same regex just before, on the same thread, is
 * answered from memory (a few per thread: ere.c's memo). */
int al_ere_match(const struct al_ere *re, const char *text, size_t len);

/* Header values longer than this are matched on their first this-many
 * bytes only (a "$" then matches there): with the largest program that
 * bounds one match to about 16 million steps, whatever a hostile server
 * sends (libcurl accepts 100 KiB header lines). No real header needs
 * more. */
#define AL_ERE_VALUE_MAX 8192

/* al_ere_match() of 're' on at most the first AL_ERE_VALUE_MAX bytes of the
 * NUL-terminated 'value'. Returns 1 on a match, 0 otherwise (also when out
 * of memory). */
int al_ere_match_value(const struct al_ere *re, const char *value);

/* The number of instructions of 're' (the first factor of its cost). */
size_t al_ere_program_size(const struct al_ere *re);

void al_ere_free(struct al_ere *re);

#endif
