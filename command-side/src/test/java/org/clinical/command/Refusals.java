package org.clinical.command;

import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

/** Hamcrest matchers for {@code expectException(...)}: a {@link RuleViolation} with its code and reason. */
public final class Refusals {

    private Refusals() {
    }

    public static Matcher<Throwable> refusedWith(ErrorCode code) {
        return refusedWith(code, "");
    }

    /** @param detailPart a part of the reason given to the person, "" for any */
    public static Matcher<Throwable> refusedWith(ErrorCode code, String detailPart) {
        return new TypeSafeDiagnosingMatcher<>() {

            @Override
            protected boolean matchesSafely(Throwable actual, Description mismatch) {
                if (!(actual instanceof RuleViolation violation)) {
                    mismatch.appendText("was ").appendValue(actual);
                    return false;
                }
                if (violation.code() != code || !violation.getMessage().contains(detailPart)) {
                    mismatch.appendText("was refused with ").appendValue(violation.code())
                            .appendText(": ").appendValue(violation.getMessage());
                    return false;
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a RuleViolation ").appendValue(code);
                if (!detailPart.isEmpty()) {
                    description.appendText(" whose detail contains ").appendValue(detailPart);
                }
            }
        };
    }
}
