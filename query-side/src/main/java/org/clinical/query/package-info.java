/**
 * The query side: the read HTTP API over the read models, with Redis fast paths for patient summaries and
 * latest vital signs. Built in the next milestone (issue 3); this module holds its place in the build.
 */
package org.clinical.query;
