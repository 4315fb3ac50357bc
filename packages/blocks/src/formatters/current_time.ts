/**
 * Current Time: the present moment in one of Roboflow's 55 curated time zones, as Python's
 * `datetime.isoformat()` writes it (the offset as ±HH:MM, microseconds only when not zero) plus
 * the date (YYYY-MM-DD) and the wall-clock time (HH:MM:SS) there. The zone's rules come from the
 * ICU data Node carries (the IANA database, as Python's zoneinfo).
 */
import { defineBlock } from "@cvflow/engine";
import { invalidField } from "../errors.js";

/** Roboflow's curated list (current_time/v1.py's TIMEZONE_OPTIONS), in its order. */
export const CURRENT_TIME_ZONES = [
  "Etc/GMT+12", "Pacific/Pago_Pago", "Pacific/Honolulu", "Pacific/Marquesas", "America/Anchorage",
  "Pacific/Gambier", "America/Los_Angeles", "America/Denver", "America/Phoenix", "America/Chicago",
  "America/Mexico_City", "America/New_York", "America/Bogota", "America/Halifax", "America/Puerto_Rico",
  "America/St_Johns", "America/Sao_Paulo", "Atlantic/South_Georgia", "Atlantic/Azores", "Atlantic/Cape_Verde",
  "UTC", "Europe/London", "Europe/Berlin", "Africa/Lagos", "Europe/Kyiv",
  "Africa/Cairo", "Africa/Johannesburg", "Europe/Moscow", "Europe/Istanbul", "Africa/Nairobi",
  "Asia/Tehran", "Asia/Dubai", "Asia/Kabul", "Asia/Karachi", "Asia/Kolkata",
  "Asia/Kathmandu", "Asia/Dhaka", "Asia/Yangon", "Asia/Bangkok", "Asia/Shanghai",
  "Australia/Eucla", "Asia/Tokyo", "Australia/Darwin", "Australia/Adelaide", "Australia/Sydney",
  "Pacific/Port_Moresby", "Australia/Lord_Howe", "Pacific/Guadalcanal", "Pacific/Norfolk", "Pacific/Fiji",
  "Pacific/Auckland", "Pacific/Chatham", "Pacific/Tongatapu", "Pacific/Apia", "Pacific/Kiritimati",
] as const;

interface CurrentTimeParams {
  [key: string]: unknown;
  timezone: string;
}

export interface CurrentTime {
  timestamp: string;
  iso_string: string;
  date: string;
  time: string;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `instant` in `zone` as the block outputs it. */
export function currentTimeIn(zone: string, instant: Date): CurrentTime {
  if (!(CURRENT_TIME_ZONES as readonly string[]).includes(zone)) {
    throw invalidField(`roboflow_core/current_time@v1 received unsupported timezone ${JSON.stringify(zone)}; use one of: ${CURRENT_TIME_ZONES.join(", ")}`);
  }
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)!.value);
  const [year, month, day, hour, minute, second] = [part("year"), part("month"), part("day"), part("hour"), part("minute"), part("second")];
  const ms = instant.getUTCMilliseconds();
  // The zone's offset: the wall clock read as if it were UTC, less the instant.
  const offsetMinutes = Math.round((Date.UTC(year, month - 1, day, hour, minute, second, ms) - instant.getTime()) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  const time = `${pad(hour)}:${pad(minute)}:${pad(second)}`;
  const fraction = ms === 0 ? "" : `.${pad(ms, 3)}000`;
  const iso = `${date}T${time}${fraction}${offset}`;
  // Roboflow's `timestamp` is a datetime, which its serializer writes with isoformat(): the same text.
  return { timestamp: iso, iso_string: iso, date, time };
}

export const currentTimeBlock = defineBlock<CurrentTimeParams>({
  manifest: {
    type: "roboflow_core/current_time@v1",
    name: "Current Time",
    description: "Output the current date and time for a given timezone.",
    family: "formatters",
    fields: {
      timezone: {
        description: "One of Roboflow's curated IANA time zone names to report the current time in.",
        kinds: ["string"],
        schema: { enum: CURRENT_TIME_ZONES },
        default: "UTC",
      },
    },
    outputs: [
      { name: "timestamp", kinds: ["timestamp"] },
      { name: "iso_string", kinds: ["string"] },
      { name: "date", kinds: ["string"] },
      { name: "time", kinds: ["string"] },
    ],
  },
  run({ timezone }) {
    return { ...currentTimeIn(timezone, new Date()) };
  },
});
