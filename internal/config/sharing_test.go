package config

import "testing"

func TestContextSharingAndHINDirectory(t *testing.T) {
	c, err := Load(env(map[string]string{}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PSCContext.URL != "" || c.HINDirectory.URL != "" || c.HINDirectory.TokenGroup != "hin_sds" {
		t.Errorf("defaults %+v %+v", c.PSCContext, c.HINDirectory)
	}
	c, err = Load(env(map[string]string{
		"INFOPATIENT_PSC_CONTEXT_URL":     "https://context.example/psc-copier-coller/api",
		"INFOPATIENT_HIN_SDS_URL":         "https://oauth2.sds.hin.ch",
		"INFOPATIENT_HIN_SDS_TOKEN_GROUP": "hin_sds_test",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PSCContext.URL != "https://context.example/psc-copier-coller/api" || c.HINDirectory.URL != "https://oauth2.sds.hin.ch" || c.HINDirectory.TokenGroup != "hin_sds_test" {
		t.Errorf("loaded %+v %+v", c.PSCContext, c.HINDirectory)
	}
	problems := problemsOf(t, map[string]string{
		"INFOPATIENT_PSC_CONTEXT_URL":     "http://context.example/api",
		"INFOPATIENT_HIN_SDS_URL":         "oauth2.sds.hin.ch",
		"INFOPATIENT_HIN_SDS_TOKEN_GROUP": "hin sds",
	})
	reportedOnce(t, problems, "INFOPATIENT_PSC_CONTEXT_URL", "must be https")
	reportedOnce(t, problems, "INFOPATIENT_HIN_SDS_URL", "not an absolute URL")
	reportedOnce(t, problems, "INFOPATIENT_HIN_SDS_TOKEN_GROUP", "letters, digits")
}
