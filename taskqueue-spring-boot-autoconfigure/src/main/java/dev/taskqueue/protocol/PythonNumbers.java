package dev.taskqueue.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers as Python prints them ({@code str()} and {@code repr()} agree for numbers), for
 * the value a Python worker decodes from the JSON this library writes: integers as
 * integers, floating-point values as Python floats ({@code 1.0}, {@code 0.3}, {@code 1e+16},
 * {@code 1e-05}, {@code inf}, {@code nan}).
 */
final class PythonNumbers {

	private static final int MAX_FIXED_EXPONENT = 16;

	private static final int MIN_FIXED_EXPONENT = -3;

	private PythonNumbers() {
	}

	static String repr(Number number) {
		if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte
				|| number instanceof BigInteger || number instanceof AtomicInteger || number instanceof AtomicLong) {
			return number.toString();
		}
		if (number instanceof Float) {
			// Written to JSON as the float's own shortest text, read back by Python as a double
			return repr(Double.parseDouble(number.toString()));
		}
		if (number instanceof BigDecimal decimal) {
			String text = decimal.toString();
			boolean integral = text.indexOf('.') < 0 && text.indexOf('E') < 0 && text.indexOf('e') < 0;
			return integral ? text : repr(decimal.doubleValue());
		}
		if (number instanceof Double) {
			return repr(number.doubleValue());
		}
		return number.toString();
	}

	/**
	 * Python's {@code repr(float)}: the shortest text that reads back as the same double,
	 * in fixed notation when the decimal exponent is between -4 and 16, else in scientific
	 * notation with at least two exponent digits.
	 * @param value the value
	 * @return the text
	 */
	static String repr(double value) {
		if (Double.isNaN(value)) {
			return "nan";
		}
		if (Double.isInfinite(value)) {
			return (value > 0) ? "inf" : "-inf";
		}
		if (value == 0) {
			return (1 / value < 0) ? "-0.0" : "0.0";
		}
		BigDecimal shortest = shortest(value);
		String digits = shortest.unscaledValue().abs().toString();
		// value = 0.<digits> x 10^point
		int point = digits.length() - shortest.scale();
		String sign = (value < 0) ? "-" : "";
		if (point > MAX_FIXED_EXPONENT || point < MIN_FIXED_EXPONENT) {
			String mantissa = (digits.length() > 1) ? digits.charAt(0) + "." + digits.substring(1) : digits;
			int exponent = point - 1;
			return sign + mantissa + "e" + ((exponent < 0) ? "-" : "+") + String.format("%02d", Math.abs(exponent));
		}
		if (point <= 0) {
			return sign + "0." + "0".repeat(-point) + digits;
		}
		if (point >= digits.length()) {
			return sign + digits + "0".repeat(point - digits.length()) + ".0";
		}
		return sign + digits.substring(0, point) + "." + digits.substring(point);
	}

	private static BigDecimal shortest(double value) {
		BigDecimal exact = new BigDecimal(value);
		for (int precision = 1; precision < 17; precision++) {
			BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
			if (rounded.doubleValue() == value) {
				return rounded.stripTrailingZeros();
			}
		}
		return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
	}

}
