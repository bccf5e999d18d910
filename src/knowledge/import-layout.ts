/**
 * The input layout, said once: `faultline import --help` prints it and docs/guide-format.md quotes it (a
 * test holds the two together). Its own module: the CLI prints it for `--help` without loading yaml.
 */
/** The words that end the error's name in a page's first sentence ("broken pipe appears when ..."). */
export const INTRO_VERBS = ['appears', 'happens', 'occurs', 'means', 'is raised', 'is returned', 'shows up', 'is reported', 'indicates'] as const;

export const IMPORT_LAYOUT = `Input layout (plain text, one page per file, as the seed pages):
  line 1..       the introduction: "<error> appears when ...". The words before the first of
                 ${INTRO_VERBS.join(', ')}
                 become the id (lowercase, "-" between words), the title, the one signature and the
                 examples; the whole paragraph becomes the summary.
  then each of these headings alone on its line (any case), each followed by its text:
    What it means        the section as written
    Common causes        one cause a line ("- " added where missing)
    How to diagnose it   the section as written
    Commands to try      one command a line, into a code block
    How to fix it        the section as written
    FAQ                  a line ending in "?" is a question (### heading); the lines after it, its answer
    Short checklist      one item a line ("- " added where missing)
    Related errors       each "quoted error" whose id is a guide becomes a related id; "Read guide" lines are dropped
  A missing section is written as "(not written yet)" with a warning. Refused, with file:line: an empty
  page, a page with no introduction, a page with no text under any heading.`;
