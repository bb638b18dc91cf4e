type Record_ = Record<string, string>;

/** The parts of a notification and an alert whose strings are shared (payload.ts's types fit). */
interface SharedNotification {
  groupLabels: Record_;
  commonLabels: Record_;
  commonAnnotations: Record_;
}
interface SharedAlert {
  labels: Record_;
  annotations: Record_;
  startsAt: string;
  endsAt?: string | undefined;
  generatorURL: string;
}

export interface StringSharer {
  notification: (n: SharedNotification) => void;
  alert: (a: SharedAlert) => void;
}

/**
 * JSON.parse makes a string of its own for every value, so a group's common labels, its rule's
 * URLs and the zero `endsAt` of each firing alert are stored once per alert — about a quarter
 * of what a queued storm holds. This points every equal label, annotation and time value of
 * one notification at one string. It changes no value, in place and in linear time; alerts
 * are taken one at a time so that a big group can be shared in steps.
 */
export function stringSharer(): StringSharer {
  const seen = new Map<string, string>();
  const one = (s: string): string => {
    const known = seen.get(s);
    if (known !== undefined) return known;
    seen.set(s, s);
    return s;
  };
  const shareValues = (r: Record_) => {
    for (const k of Object.keys(r)) r[k] = one(r[k]!);
  };
  return {
    notification: (n) => {
      shareValues(n.groupLabels);
      shareValues(n.commonLabels);
      shareValues(n.commonAnnotations);
    },
    alert: (a) => {
      shareValues(a.labels);
      shareValues(a.annotations);
      a.startsAt = one(a.startsAt);
      if (a.endsAt !== undefined) a.endsAt = one(a.endsAt);
      a.generatorURL = one(a.generatorURL);
    },
  };
}
